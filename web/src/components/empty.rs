//! What an empty list shows, the same everywhere: what would be there, and what to do to fill it.

use leptos::prelude::*;

/// An empty list's place: `title` says what is missing ("No services yet"), `hint` what they are
/// for and how to add one; `children`, when given, is the action itself (a link or a button).
#[component]
pub fn EmptyState(
    title: &'static str,
    #[prop(into)] hint: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-list" data-testid="empty-state">
            <p class="empty-title">{title}</p>
            <p class="empty-hint">{hint}</p>
            {children.map(|action| view! { <div class="empty-action">{action()}</div> })}
        </div>
    }
}
