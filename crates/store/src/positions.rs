//! Ordering: moving one item to a position renumbers its siblings 0..n in one go.

/// The ids in their new order after moving `id` to `position` (clamped to the end).
pub fn moved<T, Q>(mut ordered: Vec<T>, id: &Q, position: usize) -> Option<Vec<T>>
where
    T: PartialEq<Q>,
    Q: ?Sized,
{
    let from = ordered.iter().position(|item| item == id)?;
    let item = ordered.remove(from);
    let to = position.min(ordered.len());
    ordered.insert(to, item);
    Some(ordered)
}

#[cfg(test)]
mod tests {
    use super::moved;

    fn ids(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn moving_renumbers_around_the_item() {
        let order = ids(&["a", "b", "c", "d"]);
        assert_eq!(
            moved(order.clone(), "d", 0).unwrap(),
            ids(&["d", "a", "b", "c"])
        );
        assert_eq!(
            moved(order.clone(), "a", 2).unwrap(),
            ids(&["b", "c", "a", "d"])
        );
        assert_eq!(
            moved(order.clone(), "b", 99).unwrap(),
            ids(&["a", "c", "d", "b"])
        );
        assert_eq!(moved(order, "x", 0), None);
    }
}
