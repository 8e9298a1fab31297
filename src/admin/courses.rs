//! The office's course pages: the list, and one form to create or edit a
//! course with its teachers and weekly slots, and to remove it.
use super::{
    CourseEditor, ListQuery, RemoveCourse, SaveCourse, load_admin_courses, load_course_editor,
    frame::{OfficeNav, OfficePage, Pager, TitleSearch},
};
use crate::{
    domain::{CourseId, ru},
    error::AppError,
    ui::{ActionEpoch, DataTable, Field, FormError, Loading, Submit, TextArea, action_error, result_view, route_id},
    viewer::{Gate, OFFICE},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::A,
    hooks::use_query_map,
};

#[component]
pub fn CoursesAdminPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        ListQuery::from_params(|name| p.get(name))
    });
    let epoch = expect_context::<ActionEpoch>();
    let courses = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_admin_courses(q));
    view! {
        <OfficePage title="Курсы">
        <p><A href="/admin/courses/new" attr:class="button">"Новый курс"</A></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                result_view(courses.await, move |p| {
                    let pager_href = {
                        let q = q.clone();
                        move |n: u64| q.href("/admin/courses", n)
                    };
                    view! {
                    <TitleSearch action="/admin/courses" q=q.clone() newest="Сначала новые" />
                    <DataTable caption="Курсы школы" headers=&["Курс", "Срок", "Места", "Статус", "Цены"]>
                                {p.items.into_iter().map(|c| view! {
                                    <tr>
                                        <td><A href=format!("/admin/courses/{}", c.id)>{c.title.clone()}</A></td>
                                        <td>{ru::date_range(c.term_start, c.term_end)}</td>
                                        <td>{format!("{} из {}", c.capacity - c.seats_left, c.capacity)}</td>
                                        <td>{if c.published { "опубликован" } else { "черновик" }}</td>
                                        <td><A href=format!("/admin/courses/{}/prices", c.id)>"Цены"</A></td>
                                    </tr>
                                }).collect_view()}
                    </DataTable>
                    <Pager page=p.page pages=p.pages total=p.total href=pager_href />
                    }
                })
            })}
        </Suspense>
        </OfficePage>
    }
}

#[component]
pub fn CourseEditorPage() -> impl IntoView {
    // `/admin/courses/new` has no number: a new course.
    let editor = Resource::new(route_id(), |id| load_course_editor(id.map(CourseId)));
    let save = ServerAction::<SaveCourse>::new();
    let remove = ServerAction::<RemoveCourse>::new();
    view! {
        <Title text="Курс — администрирование" />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(editor.await, move |e| view! { <CourseEditorView e save remove /> })
                })}
            </Suspense>
        </Gate>
    }
}

fn message(error: Signal<Option<AppError>>, field: String) -> impl Fn() -> Option<String> {
    move || error.get().and_then(|e| e.field_message(&field).map(str::to_string))
}

#[component]
fn CourseEditorView(e: CourseEditor, save: ServerAction<SaveCourse>, remove: ServerAction<RemoveCourse>) -> impl IntoView {
    let error = action_error(save);
    let remove_error = action_error(remove);
    let f = e.form;
    let heading = if e.id.is_some() { "Изменить курс" } else { "Новый курс" };
    let check = |name: &'static str, label: &'static str, on: bool| {
        let id = format!("f-{name}");
        view! {
            <div class="field field--check">
                <input type="checkbox" id=id.clone() name=format!("course[{name}]") value="on" checked=on />
                <label for=id>{label}</label>
            </div>
        }
    };
    let teachers = e
        .teachers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let id = format!("f-teacher-{}", t.id);
            view! {
                <div class="choice">
                    <input type="checkbox" id=id.clone() name=format!("course[teachers][{i}]") value=t.id.to_string() checked=f.teachers.contains(&t.id) />
                    <label for=id>
                        <strong>{t.name.clone()}</strong>
                        <span class="muted">{t.specialization.clone()}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    let slots = f
        .slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let name = |part: &str| format!("course[slots][{i}][{part}]");
            let id = |part: &str| format!("f-slot-{i}-{part}");
            let days = (1..=7u8)
                .map(|d| view! { <option value=d.to_string() selected=s.weekday == d.to_string()>{ru::weekday(d)}</option> })
                .collect_view();
            view! {
                <fieldset class="slot-row">
                    <legend>{format!("Занятие {}", i + 1)}</legend>
                    <div class="field">
                        <label for=id("weekday")>"День"</label>
                        <select id=id("weekday") name=name("weekday")>
                            <option value="">"—"</option>
                            {days}
                        </select>
                    </div>
                    <div class="field">
                        <label for=id("time")>"Время"</label>
                        <input id=id("time") type="time" name=name("starts_at") value=s.starts_at.clone() />
                    </div>
                    <div class="field">
                        <label for=id("minutes")>"Минут"</label>
                        <input id=id("minutes") type="number" min="15" max="600" name=name("minutes") value=s.minutes.clone() />
                    </div>
                    <div class="field">
                        <label for=id("room")>"Аудитория"</label>
                        <input id=id("room") type="text" name=name("room") value=s.room.clone() />
                    </div>
                    <p class="field__error">{message(error, format!("course[slots][{i}]"))}</p>
                </fieldset>
            }
        })
        .collect_view();
    let id_value = e.id.map(|i| i.to_string()).unwrap_or_default();
    let remove_form = e.id.map(|id| {
        let active = e.active_enrollments;
        view! {
            <section class="panel panel--danger">
                <h2>"Удалить курс"</h2>
                <ActionForm action=remove attr:class="form">
                    <FormError error=remove_error />
                    <input type="hidden" name="id" value=id.to_string() />
                    {(active > 0).then(|| view! {
                        <div class="field field--check">
                            <input type="checkbox" id="f-confirm" name="confirm" value="on" />
                            <label for="f-confirm">{format!("Отменить {active} {} и написать ученикам", ru::plural(active as i64, ["заявку", "заявки", "заявок"]))}</label>
                            <p class="field__error">{message(remove_error, "confirm".into())}</p>
                        </div>
                    })}
                    <Submit action=remove label="Удалить курс" class="button button--danger" />
                </ActionForm>
            </section>
        }
    });
    view! {
        <p class="breadcrumbs"><A href="/admin/courses">"Курсы"</A></p>
        <h1>{heading}</h1>
        <OfficeNav />
        {e.id.map(|id| view! { <p><A href=format!("/admin/courses/{id}/prices")>"Цены и абонементы"</A></p> })}
        <ActionForm action=save attr:class="form course-form" attr:novalidate=true>
            <FormError error />
            <input type="hidden" name="id" value=id_value />
            <Field label="Название" name="course[title]" value=f.title required=true error />
            <TextArea label="Описание" name="course[description]" value=f.description error />
            <div class="field-row">
                <Field label="Мест в группе" name="course[capacity]" kind="number" value=f.capacity required=true error />
                <div></div>
                <Field label="Начало курса" name="course[term_start]" kind="date" value=f.term_start required=true error />
                <Field label="Окончание курса" name="course[term_end]" kind="date" value=f.term_end required=true error />
                <Field label="Возраст от (лет)" name="course[age_min]" kind="number" value=f.age_min error hint="Пусто — без ограничения" />
                <Field label="Возраст до (лет)" name="course[age_max]" kind="number" value=f.age_max error hint="Пусто — без ограничения" />
            </div>
            <fieldset class="field">
                <legend>"Форматы и публикация"</legend>
                {check("personal", "Персональный формат", f.personal.is_some())}
                {check("pair", "Парный формат", f.pair.is_some())}
                <p class="field__error">{message(error, "course[pair]".into())}</p>
                {check("published", "Показывать в расписании", f.published.is_some())}
            </fieldset>
            <fieldset class="field">
                <legend>"Педагоги"</legend>
                {teachers}
                <p class="field__error">{message(error, "course[teachers]".into())}</p>
            </fieldset>
            <h2>"Занятия в неделю"</h2>
            {slots}
            <Submit action=save label="Сохранить курс" />
        </ActionForm>
        {remove_form}
    }
}
