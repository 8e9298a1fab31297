//! A person's family on their office page: who guards whom, the notes for
//! the teacher, and the office's links and moves (audited by the service).
use crate::{
    family::{LinkGuardian, MoveChild, OfficeChild, OfficeFamily, UnlinkGuardian},
    ui::{Field, FormError, Submit, action_error},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn FamilyPanel(family: OfficeFamily) -> impl IntoView {
    let link = ServerAction::<LinkGuardian>::new();
    let unlink = ServerAction::<UnlinkGuardian>::new();
    let (link_error, unlink_error) = (action_error(link), action_error(unlink));
    let guardians = family
        .guardians
        .into_iter()
        .map(|g| {
            view! {
                <li>
                    <A href=format!("/admin/people/{}", g.id)>{g.full_name}</A> " · " {g.email}
                    <ActionForm action=unlink attr:class="form form--inline">
                        <input type="hidden" name="guardian" value=g.id.to_string() />
                        <Submit action=unlink label="Отвязать" class="button button--ghost" />
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let children = family.children.into_iter().map(|child| view! { <ChildRow child /> }).collect_view();
    view! {
        <section class="panel">
            <h2>"Семья"</h2>
            <h3>"Законные представители"</h3>
            <FormError error=unlink_error />
            <ul class="plain-list">{guardians}</ul>
            <ActionForm action=link attr:class="form" attr:novalidate=true>
                <FormError error=link_error />
                <input type="hidden" name="family" value=family.id.to_string() />
                <Field label="Почта ещё одного представителя" name="email" kind="email" id="f-link-email" error=link_error />
                <Submit action=link label="Привязать к семье" />
            </ActionForm>
            <h3>"Дети"</h3>
            <ul class="plain-list">{children}</ul>
        </section>
    }
}

/// A child with their notes and the form that moves them to another family;
/// each child's form has its own action, so an error shows beside its field.
#[component]
fn ChildRow(child: OfficeChild) -> impl IntoView {
    let move_child = ServerAction::<MoveChild>::new();
    let error = action_error(move_child);
    let id = child.id.to_string();
    view! {
        <li>
            <A href=format!("/admin/people/{id}")>{child.full_name}</A> " · " {child.age}
            {child.login.map(|login| view! { " · " {login} })}
            {(!child.teacher_notes.is_empty()).then(|| view! {
                <p class="muted">"Заметки для педагога: " {child.teacher_notes}</p>
            })}
            <ActionForm action=move_child attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="child" value=id.clone() />
                <Field label="Перевести в семью представителя с почтой" name="email" kind="email" id=format!("f-move-{id}") error />
                <Submit action=move_child label="Перевести" class="button button--ghost" />
            </ActionForm>
        </li>
    }
}
