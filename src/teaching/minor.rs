//! What a teacher sees of a student under 18: age, guardians to call, and
//! the guardians' notes (sensitive: only the child's teachers and the office).
use super::wire::Minor;
use leptos::prelude::*;

#[component]
pub fn MinorFacts(minor: Minor) -> impl IntoView {
    let guardians = minor
        .guardians
        .into_iter()
        .map(|g| {
            let phone = g.phone.filter(|p| !p.is_empty()).map(|p| {
                let href = format!("tel:{}", p.replace([' ', '(', ')', '-'], ""));
                view! { " · " <a href=href>{p}</a> }
            });
            view! { <li>{g.name} {phone} " · " {g.email}</li> }
        })
        .collect_view();
    view! {
        <div class="minor">
            <p>"Несовершеннолетний ученик, " {minor.age} "."</p>
            <p>"Представители:"</p>
            <ul>{guardians}</ul>
            {minor.notes.map(|n| view! { <p class="sensitive">"Для педагога: " {n}</p> })}
        </div>
    }
}
