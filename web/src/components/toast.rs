//! Toasts: a short word that a write worked ("Service created"), in a polite live region. A
//! toast goes by itself after a few seconds, waits while the pointer or the focus is on it, and
//! closes at once with its button. Failures are not toasts: they stay in the alert region.

use leptos::prelude::*;

/// How long a toast stays, unless someone is reading it.
const LIFETIME_MS: u32 = 6_000;
/// At most this many toasts at once: the oldest goes first.
const MOST: usize = 3;

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    message: String,
}

/// The toasts of the dashboard, provided by context by its layout; [`Toasts::success`] shows
/// one, [`ToastRegion`] draws them.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    shown: RwSignal<Vec<Toast>>,
    /// The toast the pointer or the focus is on: it stays until they leave.
    held: RwSignal<Option<u64>>,
    next: StoredValue<u64>,
}

impl Default for Toasts {
    fn default() -> Self {
        Toasts {
            shown: RwSignal::new(Vec::new()),
            held: RwSignal::new(None),
            next: StoredValue::new(0),
        }
    }
}

impl Toasts {
    /// Says that something worked, for a few seconds.
    pub fn success(self, message: impl Into<String>) {
        let Some(id) = self.next.try_update_value(|next| {
            *next += 1;
            *next
        }) else {
            return;
        };
        let message = message.into();
        self.shown.try_update(|shown| {
            shown.push(Toast { id, message });
            let extra = shown.len().saturating_sub(MOST);
            shown.drain(..extra);
        });
        leptos::task::spawn_local(async move {
            loop {
                crate::time::sleep(LIFETIME_MS).await;
                // Gone with the dashboard (signed out, another page): nothing to remove.
                match self.held.try_get_untracked() {
                    Some(Some(held)) if held == id => continue,
                    Some(_) => break,
                    None => return,
                }
            }
            self.dismiss(id);
        });
    }

    fn dismiss(self, id: u64) {
        self.shown
            .try_update(|shown| shown.retain(|toast| toast.id != id));
    }
}

/// Where the toasts appear: a `role="status"` region that is always in the page, so screen
/// readers announce what is added to it.
#[component]
pub fn ToastRegion(toasts: Toasts) -> impl IntoView {
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.shown.get() key=|toast| toast.id let:toast>
                <div class="toast" data-testid="toast"
                    on:mouseenter=move |_| toasts.held.set(Some(toast.id))
                    on:mouseleave=move |_| toasts.held.set(None)
                    on:focusin=move |_| toasts.held.set(Some(toast.id))
                    on:focusout=move |_| toasts.held.set(None)>
                    <span class="toast-icon" aria-hidden="true">"✓"</span>
                    <p class="toast-message">{toast.message.clone()}</p>
                    <button type="button" class="toast-close" aria-label="Dismiss"
                        on:click=move |_| { toasts.held.set(None); toasts.dismiss(toast.id); }>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
            </For>
        </div>
    }
}
