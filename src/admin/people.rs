//! The office's people: the list (roles, blocking, new teachers) and one
//! person's page.
use super::{
    CreateTeacher, DeletePerson, Page, PeopleQuery, PersonRow, ResetPersonMfa, SetAccountActive, SetAccountRole,
    UpdatePerson, UpdateTeacher,
    family::FamilyPanel,
    frame::{OfficeNav, OfficePage, Pager, page_param},
    load_people, load_person,
};
use crate::{
    domain::{Role, UserId, ru},
    ui::{
        ActionEpoch, DataTable, Field, FilterForm, FilterSearch, FilterSelect, FormError, FormSuccess, Loading, Submit, TextArea,
        action_error, action_failure, load_or_missing, result_view, route_id, url_encode,
    },
    viewer::{Gate, OFFICE},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

#[derive(Clone, Copy)]
struct PeopleActions {
    active: ServerAction<SetAccountActive>,
    role: ServerAction<SetAccountRole>,
    teacher: ServerAction<CreateTeacher>,
}

/// The form that adds a teacher; open once it has something to say.
#[component]
fn NewTeacherForm(action: ServerAction<CreateTeacher>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <details class="panel" open=move || error.get().is_some()>
            <summary>"Добавить педагога"</summary>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Имя и фамилия" name="full_name" required=true error />
                <Field label="Электронная почта" name="email" kind="email" required=true error
                    hint="Сюда придёт письмо со ссылкой, чтобы задать пароль." />
                <Field label="Специализация" name="specialization" required=true error />
                <TextArea label="Биография" name="bio" error />
                <FormSuccess action text="Педагог добавлен: ему отправлено письмо, чтобы задать пароль." />
                <Submit action label="Добавить педагога" />
            </ActionForm>
        </details>
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let params = use_query_map();
    let epoch = expect_context::<ActionEpoch>();
    let query = Memo::new(move |_| {
        let p = params.read();
        PeopleQuery {
            search: p.get("search").unwrap_or_default(),
            role: p.get("role").as_deref().and_then(Role::from_slug),
            sort: p.get("sort").unwrap_or_default(),
            page: page_param(p.get("page")),
        }
    });
    let people = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_people(q));
    let actions = PeopleActions { active: ServerAction::new(), role: ServerAction::new(), teacher: ServerAction::new() };
    view! {
        <OfficePage title="Люди">
            <NewTeacherForm action=actions.teacher />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    result_view(people.await, move |p| view! { <PeopleView p q actions /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn PeopleView(p: Page<PersonRow>, q: PeopleQuery, actions: PeopleActions) -> impl IntoView {
    let active_error = action_error(actions.active);
    let role_error = action_error(actions.role);
    let href = {
        let q = q.clone();
        move |page: u64| {
            let role = q.role.map(Role::slug).unwrap_or_default();
            format!("/admin/people?search={}&role={role}&sort={}&page={page}", url_encode(&q.search), q.sort)
        }
    };
    let role_options = |selected: Option<Role>| {
        Role::ALL
            .into_iter()
            .map(|r| view! { <option value=r.slug() selected=selected == Some(r)>{r.label()}</option> })
            .collect_view()
    };
    let rows = p
        .items
        .into_iter()
        .map(|person| {
            let id = person.id.to_string();
            let (person_href, shown_name) = (format!("/admin/people/{}", person.id), person.full_name.clone());
            let (role_label_for, role_id, role_select_id) = (format!("role-{id}"), format!("role-{id}"), id.clone());
            let (toggle_value, toggle_label) = if person.active { ("false", "Отключить") } else { ("true", "Включить") };
            view! {
                <tr class:inactive=!person.active>
                    <td>
                        <A href=person_href>
                            <strong>{shown_name}</strong>
                        </A>
                        <br />
                        <a href=format!("mailto:{}", person.email)>{person.email.clone()}</a>
                        {(!person.phone.is_empty()).then(|| view! { <br /><span class="muted">{person.phone.clone()}</span> })}
                    </td>
                    <td>{ru::date(person.created_at.date_naive())}</td>
                    <td>
                        <ActionForm action=actions.role attr:class="form form--row">
                            <input type="hidden" name="id" value=role_select_id />
                            <label class="visually-hidden" for=role_label_for>{format!("Роль: {}", person.full_name)}</label>
                            <select id=role_id name="role">{role_options(Some(person.role))}</select>
                            <Submit action=actions.role label="Сменить" class="button button--ghost" />
                        </ActionForm>
                    </td>
                    <td>
                        <span class="muted">{if person.active { "активна" } else { "отключена" }}</span>
                        <ActionForm action=actions.active attr:class="form form--row">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="active" value=toggle_value />
                            <Submit action=actions.active label=toggle_label class="button button--ghost" />
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FilterForm action="/admin/people" button="Найти">
            <FilterSearch label="Имя или почта" name="search" value=q.search.clone() />
            <FilterSelect label="Роль" name="role" any="Все">{role_options(q.role)}</FilterSelect>
            <FilterSelect label="Порядок" name="sort" any="По имени">
                <option value="email" selected=q.sort == "email">"По почте"</option>
                <option value="newest" selected=q.sort == "newest">"Сначала новые"</option>
            </FilterSelect>
        </FilterForm>
        <FormError error=active_error />
        <FormError error=role_error />
        <DataTable caption="Учётные записи" headers=&["Человек", "С нами с", "Роль", "Учётная запись"]>{rows}</DataTable>
        <Pager page=p.page pages=p.pages total=p.total href />
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let id = route_id();
    let epoch = expect_context::<ActionEpoch>();
    let person = Resource::new(
        move || (id(), epoch.0.get()),
        |(id, _)| load_or_missing(id.map(UserId), load_person),
    );
    let update = ServerAction::<UpdatePerson>::new();
    let delete = ServerAction::<DeletePerson>::new();
    let teacher = ServerAction::<UpdateTeacher>::new();
    let mfa_reset = ServerAction::<ResetPersonMfa>::new();
    view! {
        <Title text="Учётная запись — администрирование" />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(person.await, move |p| {
                    let error = action_error(update);
                    // A deletion leads back to the list: this page is not re-read.
                    let delete_error = action_failure(delete);
                    let (id, delete_id) = (p.row.id.to_string(), p.row.id.to_string());
                    view! {
                        <p class="breadcrumbs"><A href="/admin/people">"Люди"</A></p>
                        <h1>{p.row.full_name.clone()}</h1>
                        <OfficeNav />
                        <p class="muted">
                            {p.row.role.label()} " · " {p.row.email.clone()} " · "
                            {if p.row.active { "учётная запись активна" } else { "учётная запись отключена" }}
                        </p>
                        {p.teacher.clone().map(|t| {
                            let error = action_error(teacher);
                            view! {
                                <section class="panel">
                                    <h2>"Профиль педагога"</h2>
                                    <p><A href=t.path.clone()>"Публичная страница"</A></p>
                                    <ActionForm action=teacher attr:class="form" attr:novalidate=true>
                                        <FormError error />
                                        <input type="hidden" name="teacher_id" value=t.id.to_string() />
                                        <Field label="Специализация" name="specialization" value=t.specialization required=true error />
                                        <TextArea label="Биография" name="bio" value=t.bio error />
                                        <FormSuccess action=teacher text="Профиль педагога сохранён." />
                                        <Submit action=teacher label="Сохранить профиль педагога" />
                                    </ActionForm>
                                </section>
                            }
                        })}
                        {p.family.clone().map(|family| view! { <FamilyPanel family /> })}
                        {p.passes.clone().map(|passes| view! { <crate::passes::PersonPassesPanel passes /> })}
                        {p.passes.is_some().then(|| view! {
                            <p><A href=format!("/admin/people/{}/money", p.row.id)>"Оплата: счета, платежи, возвраты"</A></p>
                        })}
                        {p.mfa_enabled.then(|| {
                            let error = action_error(mfa_reset);
                            view! {
                                <section class="panel">
                                    <h2>"Вход с кодом"</h2>
                                    <p>"Включён. Если телефон потерян, сбросьте: при следующем входе человек настроит коды заново."</p>
                                    <ActionForm action=mfa_reset attr:class="form form--inline">
                                        <FormError error />
                                        <input type="hidden" name="id" value=p.row.id.to_string() />
                                        <Submit action=mfa_reset label="Сбросить вход с кодом" class="button button--ghost" />
                                    </ActionForm>
                                </section>
                            }
                        })}
                        <div class="profile">
                            <section class="panel">
                                <h2>"Данные"</h2>
                                <ActionForm action=update attr:class="form" attr:novalidate=true>
                                    <FormError error />
                                    <input type="hidden" name="id" value=id />
                                    <Field label="Имя и фамилия" name="full_name" value=p.row.full_name.clone() required=true error />
                                    <Field label="Телефон" name="phone" kind="tel" value=p.row.phone.clone() error />
                                    <TextArea label="Другие контакты" name="contacts" value=p.contacts.clone() error />
                                    <TextArea label="О себе" name="about" value=p.about.clone() error />
                                    <FormSuccess action=update text="Данные сохранены." />
                                    <Submit action=update label="Сохранить" />
                                </ActionForm>
                            </section>
                            <section class="panel panel--danger">
                                <h2>"Удалить учётную запись"</h2>
                                <p>"Заявки будут отменены, история записей останется обезличенной. Педагога, который ведёт курсы, сначала замените на них."</p>
                                <ActionForm action=delete attr:class="form">
                                    <FormError error=delete_error />
                                    <input type="hidden" name="id" value=delete_id />
                                    <div class="field field--check">
                                        <input type="checkbox" id="f-confirm" name="confirm" value="on" />
                                        <label for="f-confirm">"Понимаю: удаление необратимо"</label>
                                    </div>
                                    <Submit action=delete label="Удалить" class="button button--danger" />
                                </ActionForm>
                            </section>
                        </div>
                    }
                })
            })}
        </Suspense>
        </Gate>
    }
}
