//! «Семья»: a guardian's children with their details and consents, the
//! form that adds a child, and who else acts for them. A teenager with a
//! login of their own sees their guardians here.
use super::{AddChild, ChildView, FamilyView, InviteChild, InviteGuardian, RemoveChild, UpdateChild, load_family};
use crate::{
    domain::{UserId, ru},
    error::AppError,
    ui::{ActionEpoch, CheckField, Field, FormError, Loading, Submit, TextArea, action_error, result_view},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

/// The page's actions outlive one rendering of the family (it is re-read
/// after each action, and the action's errors must stay beside their form).
#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddChild>,
    update: ServerAction<UpdateChild>,
    remove: ServerAction<RemoveChild>,
    invite: ServerAction<InviteChild>,
    guardian: ServerAction<InviteGuardian>,
    /// Which child's card sent the last form: only its fields show the errors.
    target: RwSignal<Option<UserId>>,
}

#[component]
pub fn MyFamilyPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let family = Resource::new(move || epoch.0.get(), |_| load_family());
    let actions = Actions {
        add: ServerAction::new(),
        update: ServerAction::new(),
        remove: ServerAction::new(),
        invite: ServerAction::new(),
        guardian: ServerAction::new(),
        target: RwSignal::new(None),
    };
    view! {
        <Title text="Семья" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <h1>"Семья"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(family.await, move |f| view! { <Family f actions /> })
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn Family(f: FamilyView, actions: Actions) -> impl IntoView {
    let guardians = f
        .guardians
        .iter()
        .map(|g| view! { <li>{g.full_name.clone()} " · " {g.email.clone()}</li> })
        .collect_view()
        .into_any();
    if f.as_child {
        return view! {
            <section class="panel" aria-labelledby="guardians-h">
                <h2 id="guardians-h">"Мои представители"</h2>
                <ul>{guardians}</ul>
                <p class="muted">"Они видят ваши записи и получают письма о них, пока вам не исполнится 18 лет."</p>
            </section>
        }
        .into_any();
    }
    let children = f.children.into_iter().map(|c| view! { <ChildCard c actions /> }).collect_view();
    view! {
        <p class="muted">
            "Добавьте детей, чтобы записывать их на курсы: письма о занятиях ребёнка будут приходить вам. "
            "Ребёнку младше 14 лет отдельная учётная запись не нужна."
        </p>
        <div class="cards">{children}</div>
        <AddChildForm action=actions.add />
        {(!f.guardians.is_empty()).then(|| view! { <Guardians guardians action=actions.guardian /> })}
    }
    .into_any()
}

#[component]
fn ChildCard(c: ChildView, actions: Actions) -> impl IntoView {
    let id = c.id;
    let key = move |name: &str| format!("f-{name}-{id}");
    let target = actions.target;
    let mine = move |error: Signal<Option<AppError>>| Signal::derive(move || error.get().filter(|_| target.get() == Some(id)));
    let error = mine(action_error(actions.update));
    let remove_error = mine(action_error(actions.remove));
    let invite_error = mine(action_error(actions.invite));
    let invite = c.may_have_login.then(|| view! {
        <details>
            <summary>"Пригласить к своему входу"</summary>
            <ActionForm action=actions.invite attr:class="form" attr:novalidate=true>
                <FormError error=invite_error />
                <input type="hidden" name="child" value=id.to_string() />
                <Field label="Электронная почта ребёнка" name="email" kind="email" id=key("email") required=true error=invite_error
                    hint="Ребёнок получит ссылку и сам придумает пароль. Вы по-прежнему будете видеть его записи до 18 лет." />
                <Submit action=actions.invite label="Отправить приглашение" />
            </ActionForm>
        </details>
    });
    let notes = (!c.teacher_notes.is_empty()).then(|| c.teacher_notes.clone());
    view! {
        <article class="card" aria-labelledby=format!("child-{id}") on:submit=move |_| target.set(Some(id))>
            <h2 id=format!("child-{id}")>{c.full_name.clone()}</h2>
            <dl class="facts">
                <dt>"Дата рождения"</dt>
                <dd>{ru::date(c.birth_date)} " (" {c.age.clone()} ")"</dd>
                <dt>"Вход"</dt>
                <dd>{c.login.clone().unwrap_or_else(|| "без своей учётной записи".into())}</dd>
                <dt>"Фото в портфолио"</dt>
                <dd>{if c.photos_allowed { "публиковать можно" } else { "не публикуются" }}</dd>
                {notes.map(|n| view! { <dt>"Для педагога"</dt><dd class="sensitive">{n}</dd> })}
            </dl>
            <details>
                <summary>"Изменить данные"</summary>
                <ActionForm action=actions.update attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="child" value=id.to_string() />
                    <Field label="Имя и фамилия" name="full_name" id=key("name") value=c.full_name.clone() required=true error />
                    <Field label="Дата рождения" name="birth_date" kind="date" id=key("birth") value=c.birth_date.to_string() required=true error />
                    <TextArea label="Для педагога: здоровье, аллергии, что важно знать" name="teacher_notes" id=key("notes") value=c.teacher_notes.clone() error />
                    <CheckField label="Разрешаю публиковать фотографии ребёнка в портфолио" name="photos" id=key("photos") checked=c.photos_allowed error />
                    <Submit action=actions.update label="Сохранить" />
                </ActionForm>
            </details>
            {invite}
            <details>
                <summary>"Удалить данные ребёнка"</summary>
                <ActionForm action=actions.remove attr:class="form">
                    <FormError error=remove_error />
                    <input type="hidden" name="child" value=id.to_string() />
                    <CheckField
                        label="Понимаю: данные ребёнка, его портфолио и заявки будут удалены, места на курсах освободятся"
                        name="confirm"
                        id=key("confirm")
                        error=remove_error
                    />
                    <Submit action=actions.remove label="Удалить" class="button button--danger" />
                </ActionForm>
            </details>
        </article>
    }
}

#[component]
fn AddChildForm(action: ServerAction<AddChild>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="add-child-h">
            <h2 id="add-child-h">"Добавить ребёнка"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Имя и фамилия ребёнка" name="full_name" required=true error />
                <Field label="Дата рождения" name="birth_date" kind="date" required=true error />
                <TextArea label="Для педагога: здоровье, аллергии, что важно знать" name="teacher_notes" error />
                <p class="field__hint">"Это видят только вы, педагоги ребёнка и администрация школы."</p>
                <CheckField
                    label="Я родитель или законный представитель ребёнка и даю согласие на обработку его персональных данных"
                    name="consent"
                    required=true
                    error
                />
                <p class="field__hint">"Как школа обращается с данными детей — на странице " <A href="/privacy">"«Обработка персональных данных»"</A> "."</p>
                <CheckField label="Разрешаю публиковать фотографии ребёнка в портфолио" name="photos" error />
                <Submit action label="Добавить ребёнка" />
            </ActionForm>
        </section>
    }
}

#[component]
fn Guardians(guardians: AnyView, action: ServerAction<InviteGuardian>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="guardians-h">
            <h2 id="guardians-h">"Представители"</h2>
            <ul>{guardians}</ul>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Пригласить второго родителя: его электронная почта" name="email" kind="email" id="f-guardian-email" required=true error
                    hint="Он войдёт со своей учётной записью и получит те же права: записывать детей, видеть их записи, получать письма." />
                <Submit action label="Пригласить" />
            </ActionForm>
        </section>
    }
}
