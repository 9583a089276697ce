//! The one confirmation dialog: a destructive action asks in the page, not in the browser's
//! own box. A native modal `<dialog>`: the focus moves into it (onto Cancel, the safe choice)
//! and stays there, the page behind is inert, Escape cancels, and closing gives the focus back
//! to the button that asked. The other button names what happens ("Delete service").

use leptos::prelude::*;

/// What a confirmation asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question itself: "Delete the service “Website”?"
    pub title: String,
    /// What follows from a yes: "Its status history goes with it."
    pub detail: String,
    /// The destructive button's words: "Delete service".
    pub action: &'static str,
}

struct Asked {
    question: Question,
    then: Box<dyn FnOnce()>,
}

/// Asks for confirmations in the dashboard's [`ConfirmDialog`] (provided by context by the
/// dashboard layout).
#[derive(Clone, Copy)]
pub struct Confirm {
    asked: RwSignal<Option<Asked>, LocalStorage>,
}

impl Default for Confirm {
    fn default() -> Self {
        Confirm {
            asked: RwSignal::new_local(None),
        }
    }
}

impl Confirm {
    /// Asks `question`; `then` runs only if the person confirms.
    pub fn ask(self, question: Question, then: impl FnOnce() + 'static) {
        self.asked.set(Some(Asked {
            question,
            then: Box::new(then),
        }));
    }
}

/// The dialog [`Confirm::ask`] opens; one in the dashboard layout.
#[component]
pub fn ConfirmDialog(confirm: Confirm) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let asking = confirm.asked.with(Option::is_some);
        let Some(dialog) = dialog.get() else { return };
        if asking && !dialog.open() {
            // Fails only when the dialog is not in the document (the page is going away).
            let _ = dialog.show_modal();
        } else if !asking && dialog.open() {
            dialog.close();
        }
    });
    let part = move |of: fn(&Question) -> String| {
        move || {
            confirm
                .asked
                .with(|asked| asked.as_ref().map(|a| of(&a.question)))
                .unwrap_or_default()
        }
    };
    let confirmed = move |_| {
        if let Some(asked) = confirm.asked.try_update(Option::take).flatten() {
            (asked.then)();
        }
    };
    // Cancel, Escape, or any other way the dialog closes: a no.
    let cancelled = move || {
        if confirm.asked.with_untracked(Option::is_some) {
            confirm.asked.set(None);
        }
    };
    view! {
        <dialog class="dialog" node_ref=dialog aria-labelledby="confirm-title"
            aria-describedby="confirm-detail" data-testid="confirm-dialog"
            on:close=move |_| cancelled()>
            <h2 id="confirm-title">{part(|q| q.title.clone())}</h2>
            <p id="confirm-detail">{part(|q| q.detail.clone())}</p>
            <div class="dialog-actions">
                <button type="button" autofocus=true on:click=move |_| cancelled()>"Cancel"</button>
                <button type="button" class="destructive" on:click=confirmed>
                    {part(|q| q.action.to_owned())}
                </button>
            </div>
        </dialog>
    }
}
