//! The office's pages: dashboard with charts, people, shows, audit log.
use super::{
    AuditEntry, AuditQuery, CreateTeacher, Dashboard, DeletePerson, ResetPersonMfa, SavePrivacyPolicy, SetStaffMfa, DeleteShow, UpdatePerson, UpdateTeacher, load_person, Page, PeopleQuery, PersonRow, SaveShow, SetAccountActive,
    ListQuery, SetAccountRole, ShowForm, ShowRow, load_audit, load_dashboard, load_people, load_shows,
};
use crate::{
    domain::{Role, ru},
    viewer::{Gate, OFFICE},
    ui::{
        ActionEpoch, Field, FormError, FormSuccess, Loading, NavLink, Submit, TextArea, action_error, action_failure, result_view, url_encode,
        without_nameless_fields,
    },
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::{A, Form},
    hooks::{use_params_map, use_query_map},
};

/// The frame of every office page: title, heading and the office's links,
/// for the office only.
#[component]
pub(super) fn OfficePage(title: &'static str, children: ChildrenFn) -> impl IntoView {
    view! {
        <Title text=format!("{title} — администрирование") />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
            <h1>{title}</h1>
            <OfficeNav />
            {children()}
        </Gate>
    }
}

/// A table of the office with its hidden caption and column headers.
#[component]
pub(super) fn DataTable(caption: &'static str, headers: &'static [&'static str], children: Children) -> impl IntoView {
    view! {
        // A wide table scrolls on a phone: the keyboard scrolls it too.
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// The search and sort form above a list found by title; `newest` names
/// the default order.
#[component]
pub(super) fn TitleSearch(action: &'static str, q: ListQuery, newest: &'static str) -> impl IntoView {
    view! {
        <Form method="get" on_form_data=without_nameless_fields() action=action attr:class="filters filters--inline">
            <div class="field">
                <label for="f-search">"Поиск по названию"</label>
                <input id="f-search" type="search" name="search" value=q.search />
            </div>
            <div class="field">
                <label for="f-sort">"Порядок"</label>
                <select id="f-sort" name="sort">
                    <option value="" selected=q.sort != "title">{newest}</option>
                    <option value="title" selected=q.sort == "title">"По названию"</option>
                </select>
            </div>
            <div class="filters__actions">
                <button type="submit" class="button">"Найти"</button>
            </div>
        </Form>
    }
}

/// The `page` parameter of a list's address, 1 when absent.
pub(super) fn page_param(value: Option<String>) -> u64 {
    value.and_then(|n| n.parse().ok()).unwrap_or(1)
}

/// The office's own links, on top of each of its pages.
#[component]
pub(super) fn OfficeNav() -> impl IntoView {
    view! {
        <nav class="view-switch office-nav" aria-label="Разделы администрирования">
            <NavLink href="/admin" exact=true>"Сводка"</NavLink>
            <NavLink href="/admin/courses">"Курсы"</NavLink>
            <NavLink href="/admin/people">"Люди"</NavLink>
            <NavLink href="/admin/shows">"Афиша"</NavLink>
            <NavLink href="/admin/reviews">"Отзывы"</NavLink>
            <NavLink href="/admin/school">"Школа"</NavLink>
            <NavLink href="/admin/audit">"Журнал"</NavLink>
        </nav>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let data = Resource::new(move || epoch.0.get(), |_| load_dashboard());
    view! {
        <OfficePage title="Администрирование">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |d| view! { <DashboardView d /> }) })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let c = d.counts;
    let tiles = [
        ("Студенты", c.students),
        ("Преподаватели", c.teachers),
        ("Курсы", c.courses),
        ("Заявки ждут ответа", c.pending_requests),
        ("Отзывы на модерации", c.reviews_to_moderate),
    ];
    let mfa = ServerAction::<SetStaffMfa>::new();
    let mfa_error = action_error(mfa);
    let mfa_form = view! {
        <section class="panel" aria-labelledby="security-h">
            <h2 id="security-h">"Безопасность"</h2>
            <ActionForm action=mfa attr:class="form form--inline">
                <FormError error=mfa_error />
                <div class="field field--check">
                    <input type="checkbox" id="f-staff-mfa" name="required" value="on" checked=d.staff_mfa_required />
                    <label for="f-staff-mfa">"Педагоги и администраторы входят с кодом из приложения"</label>
                </div>
                <FormSuccess action=mfa text="Настройка сохранена." />
                <Submit action=mfa label="Сохранить" class="button button--ghost" />
            </ActionForm>
        </section>
    };
    view! {
        <dl class="tiles">
            {tiles
                .into_iter()
                .map(|(label, n)| view! {
                    <div class="tile">
                        <dt>{label}</dt>
                        <dd>{n}</dd>
                    </div>
                })
                .collect_view()}
        </dl>
        <div class="charts">
            <SeatsChart seats=d.seats />
            <WeeklyChart weeks=d.weekly_requests />
        </div>
        {mfa_form}
        <PrivacyPolicyForm policy=d.privacy_policy />
    }
}

/// The privacy policy (152-ФЗ) that registration asks people to accept.
#[component]
fn PrivacyPolicyForm(policy: String) -> impl IntoView {
    let save = ServerAction::<SavePrivacyPolicy>::new();
    let error = action_error(save);
    view! {
        <section class="panel" aria-labelledby="privacy-h">
            <h2 id="privacy-h">"Политика обработки персональных данных"</h2>
            <p class="muted">
                "Её видят на странице " <A href="/privacy">"«Персональные данные»"</A>
                " и соглашаются с ней при регистрации. Абзацы разделяйте пустой строкой."
            </p>
            <ActionForm action=save attr:class="form">
                <FormError error />
                <TextArea label="Текст политики" name="policy" value=policy error />
                <FormSuccess action=save text="Политика сохранена." />
                <Submit action=save label="Сохранить политику" />
            </ActionForm>
        </section>
    }
}

/// Seats held per course as horizontal bars, drawn on the server.
#[component]
fn SeatsChart(seats: Vec<(String, i32, i32)>) -> impl IntoView {
    const ROW: i32 = 34;
    let height = (seats.len() as i32 * ROW).max(ROW);
    let summary = seats.iter().map(|(t, h, c)| format!("{t}: {h} из {c}")).collect::<Vec<_>>().join("; ");
    let rows = seats
        .into_iter()
        .enumerate()
        .map(|(i, (title, held, capacity))| {
            let y = i as i32 * ROW;
            let width = if capacity > 0 { 300 * held.clamp(0, capacity) / capacity } else { 0 };
            view! {
                <g>
                    <text x="0" y=y + 13 class="chart__label">{title}</text>
                    <rect x="0" y=y + 18 width="300" height="10" rx="3" class="chart__track" />
                    <rect x="0" y=y + 18 width=width height="10" rx="3" class="chart__bar" />
                    <text x="310" y=y + 28 class="chart__value">{format!("{held}/{capacity}")}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart panel">
            <figcaption>"Занятые места по курсам"</figcaption>
            <svg viewBox=format!("0 0 360 {height}") role="img" aria-label=summary>
                {rows}
            </svg>
        </figure>
    }
}

/// Requests per week as vertical bars.
#[component]
fn WeeklyChart(weeks: Vec<(chrono::NaiveDate, u64)>) -> impl IntoView {
    let most = weeks.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let summary = weeks.iter().map(|(w, n)| format!("неделя с {}: {n}", ru::day_month(*w))).collect::<Vec<_>>().join("; ");
    let labels = ru::week_labels(&weeks.iter().map(|(w, _)| *w).collect::<Vec<_>>());
    let bars = weeks
        .into_iter()
        .zip(labels)
        .enumerate()
        .map(|(i, ((_, n), label))| {
            // Bars up to 110 high, so the value above the tallest still fits.
            let h = (110 * n / most) as i32;
            let x = i as i32 * 44;
            view! {
                <g>
                    <rect x=x + 6 y=130 - h width="32" height=h rx="3" class="chart__bar" />
                    <text x=x + 22 y=126 - h class="chart__value" text-anchor="middle">{n}</text>
                    <text x=x + 22 y="148" class="chart__label" text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart panel">
            <figcaption>"Заявки по неделям"</figcaption>
            <svg viewBox="0 0 352 152" role="img" aria-label=summary>{bars}</svg>
        </figure>
    }
}

/// Links to the other pages of a long list.
#[component]
pub(super) fn Pager(page: u64, pages: u64, total: u64, href: impl Fn(u64) -> String + 'static) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Страницы">
            <span class="muted">{format!("Всего: {total}. Страница {page} из {pages}")}</span>
            {(page > 1).then(|| view! { <A href=href(page - 1)>"← Назад"</A> })}
            {(page < pages).then(|| view! { <A href=href(page + 1)>"Дальше →"</A> })}
        </nav>
    }
}

fn role_slug(role: Role) -> &'static str {
    match role {
        Role::Student => "student",
        Role::Teacher => "teacher",
        Role::Admin => "admin",
    }
}

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
            role: match p.get("role").as_deref() {
                Some("student") => Some(Role::Student),
                Some("teacher") => Some(Role::Teacher),
                Some("admin") => Some(Role::Admin),
                _ => None,
            },
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
            let role = q.role.map(role_slug).unwrap_or_default();
            format!("/admin/people?search={}&role={role}&sort={}&page={page}", url_encode(&q.search), q.sort)
        }
    };
    let role_options = |selected: Option<Role>| {
        [Role::Student, Role::Teacher, Role::Admin]
            .into_iter()
            .map(|r| view! { <option value=role_slug(r) selected=selected == Some(r)>{r.label()}</option> })
            .collect_view()
    };
    let rows = p
        .items
        .into_iter()
        .map(|person| {
            let id = person.id.to_string();
            let (person_href, shown_name) = (format!("/admin/people/{}", person.id), person.full_name.clone());
            let (role_label_for, role_id, role_select_id) = (format!("role-{id}"), format!("role-{id}"), id.clone());
            let (toggle_value, toggle_label) = if person.active { ("no", "Отключить") } else { ("yes", "Включить") };
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
        <Form method="get" on_form_data=without_nameless_fields() action="/admin/people" attr:class="filters">
            <div class="field">
                <label for="f-search">"Имя или почта"</label>
                <input id="f-search" type="search" name="search" value=q.search.clone() />
            </div>
            <div class="field">
                <label for="f-role">"Роль"</label>
                <select id="f-role" name="role">
                    <option value="">"Все"</option>
                    {role_options(q.role)}
                </select>
            </div>
            <div class="field">
                <label for="f-sort">"Порядок"</label>
                <select id="f-sort" name="sort">
                    <option value="name" selected=q.sort.is_empty() || q.sort == "name">"По имени"</option>
                    <option value="email" selected=q.sort == "email">"По почте"</option>
                    <option value="newest" selected=q.sort == "newest">"Сначала новые"</option>
                </select>
            </div>
            <div class="filters__actions">
                <button type="submit" class="button">"Найти"</button>
            </div>
        </Form>
        <FormError error=active_error />
        <FormError error=role_error />
        <DataTable caption="Учётные записи" headers=&["Человек", "С нами с", "Роль", "Учётная запись"]>{rows}</DataTable>
        <Pager page=p.page pages=p.pages total=p.total href />
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let epoch = expect_context::<ActionEpoch>();
    let person = Resource::new(
        move || (params.read().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or_default(), epoch.0.get()),
        |(id, _)| load_person(id),
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
                                    <p><A href=format!("/teachers/{}", t.id)>"Публичная страница"</A></p>
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

#[component]
pub fn ShowsAdminPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        ListQuery::from_params(|name| p.get(name))
    });
    let shows = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_shows(q));
    let save = ServerAction::<SaveShow>::new();
    let delete = ServerAction::<DeleteShow>::new();
    view! {
        <OfficePage title="Афиша">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    result_view(shows.await, move |list| view! { <ShowsView list q save delete /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn ShowsView(list: Page<ShowRow>, q: ListQuery, save: ServerAction<SaveShow>, delete: ServerAction<DeleteShow>) -> impl IntoView {
    // Links keep the search and the page, so the edited show stays in view.
    let here = q.href("/admin/shows", list.page);
    let (page, pages, total) = (list.page, list.pages, list.total);
    let list = list.items;
    let query = use_query_map();
    let editing = Memo::new(move |_| query.read().get("edit").and_then(|id| id.parse::<i32>().ok()));
    let deleting = Memo::new(move |_| query.read().get("delete").and_then(|id| id.parse::<i32>().ok()));
    let delete_error = action_error(delete);
    let rows = list
        .clone()
        .into_iter()
        .map(|s| {
            let id = s.id;
            let title = s.form.title.clone();
            view! {
                <li class="card">
                    <strong>{s.form.title.clone()}</strong>
                    <span class="muted">{s.form.starts_at.replace('T', " ")} " · " {s.form.venue.clone()}</span>
                    <form method="post" action=format!("/admin/shows/{id}/poster") enctype="multipart/form-data" class="form form--row">
                        <label for=format!("poster-{id}")>"Афиша (JPEG, PNG, WebP, до 5 МБ)"</label>
                        <input id=format!("poster-{id}") type="file" name="photo" accept="image/jpeg,image/png,image/webp" required=true />
                        <button type="submit" class="button button--ghost">"Загрузить"</button>
                    </form>
                    <p class="card__actions">
                        <A href=format!("{here}&edit={id}")>"Изменить"</A>
                        <A href=format!("{here}&delete={id}")>"Удалить…"</A>
                    </p>
                    {move || (deleting.get() == Some(id)).then(|| {
                        let title = title.clone();
                        view! {
                            <ActionForm action=delete attr:class="form confirm">
                                <p>"Удалить «" {title} "» из афиши? Это действие не отменить."</p>
                                <input type="hidden" name="id" value=id.to_string() />
                                <div class="form__actions">
                                    <Submit action=delete label="Да, удалить" class="button button--danger" />
                                    <A href="/admin/shows" attr:class="button button--ghost">"Отмена"</A>
                                </div>
                            </ActionForm>
                        }
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <FormError error=delete_error />
        {move || {
            let current = editing.get().and_then(|id| list.iter().find(|s| s.id == id).cloned());
            view! { <ShowEditor show=current save /> }
        }}
        <h2>"Все спектакли"</h2>
        <TitleSearch action="/admin/shows" q=q.clone() newest="Сначала поздние" />
        <ul class="plain-list">{rows}</ul>
        <Pager page pages total href=move |n| q.href("/admin/shows", n) />
    }
}

/// The form for a new show, or for editing `show`.
#[component]
fn ShowEditor(show: Option<ShowRow>, save: ServerAction<SaveShow>) -> impl IntoView {
    let error = action_error(save);
    let (id, form) = match show {
        Some(s) => (s.id.to_string(), s.form),
        None => (String::new(), ShowForm::default()),
    };
    let heading = if id.is_empty() { "Новый спектакль" } else { "Изменить спектакль" };
    view! {
        <section class="panel">
            <h2>{heading}</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <Field label="Название" name="title" value=form.title required=true error />
                <Field label="Дата и время начала" name="starts_at" kind="datetime-local" value=form.starts_at required=true error />
                <Field label="Место" name="venue" value=form.venue required=true error />
                <TextArea label="Описание" name="description" value=form.description error />
                <Submit action=save label="Сохранить" />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        AuditQuery {
            entity: p.get("entity").unwrap_or_default(),
            record: p.get("record").unwrap_or_default(),
            actor: p.get("actor").unwrap_or_default(),
            page: page_param(p.get("page")),
        }
    });
    let epoch = expect_context::<ActionEpoch>();
    let log = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_audit(q));
    view! {
        <OfficePage title="Журнал изменений">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    result_view(log.await, move |p| view! { <AuditView p q /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn AuditView(p: Page<AuditEntry>, q: AuditQuery) -> impl IntoView {
    let kinds = [("user", "Учётные записи"), ("teacher", "Педагоги"), ("course", "Курсы"), ("show", "Спектакли")];
    let pager_base = format!(
        "/admin/audit?entity={}&record={}&actor={}",
        url_encode(&q.entity),
        url_encode(&q.record),
        url_encode(&q.actor)
    );
    let rows = p
        .items
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{e.at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                    <td>{e.actor}</td>
                    <td>{format!("{} {} #{}", e.action, e.entity, e.entity_id.map(|i| i.to_string()).unwrap_or_default())}</td>
                    <td><code class="changes">{e.changes}</code></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Form method="get" on_form_data=without_nameless_fields() action="/admin/audit" attr:class="filters filters--inline">
            <div class="field">
                <label for="f-entity">"Что менялось"</label>
                <select id="f-entity" name="entity">
                    <option value="">"Всё"</option>
                    {kinds.into_iter().map(|(v, l)| view! { <option value=v selected=q.entity == v>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-record">"Номер записи"</label>
                <input id="f-record" type="number" min="1" name="record" value=q.record.clone() />
            </div>
            <div class="field">
                <label for="f-actor">"Кто менял"</label>
                <input id="f-actor" type="search" name="actor" value=q.actor.clone() />
            </div>
            <div class="filters__actions">
                <button type="submit" class="button">"Показать"</button>
            </div>
        </Form>
        <DataTable caption="Журнал изменений" headers=&["Когда", "Кто", "Что", "Изменения (было → стало)"]>{rows}</DataTable>
        <Pager page=p.page pages=p.pages total=p.total href=move |n| format!("{pager_base}&page={n}") />
    }
}
