//! The course catalogue and each course's page with its weekly schedule.
use crate::{
    domain::{CourseCard, CourseDetail, catalogue::paragraphs, ru},
    error::AppError,
    ui::{Loading, result_view},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_params_map};

#[leptos::server(endpoint = "courses/list")]
pub async fn list_courses(limit: Option<u64>) -> Result<Vec<CourseCard>, AppError> {
    let state = crate::server::state()?;
    let limit = limit.map(|l| l.min(500));
    Ok(crate::server::catalogue::courses(&state.db, state.today(), limit).await?)
}

#[leptos::server(endpoint = "courses/get")]
pub async fn get_course(id: i32) -> Result<CourseDetail, AppError> {
    let state = crate::server::state()?;
    crate::server::catalogue::course(&state.db, id, state.today())
        .await?
        .ok_or(AppError::NotFound)
}

#[component]
fn Availability(seats_left: i32, capacity: i32) -> impl IntoView {
    let class = if seats_left > 0 { "badge badge--free" } else { "badge badge--full" };
    view! { <span class=class>{ru::availability(seats_left, capacity)}</span> }
}

fn formats_text(card: &CourseCard) -> String {
    card.formats.iter().map(|f| f.label()).collect::<Vec<_>>().join(" · ")
}

#[component]
pub fn CourseCardView(course: CourseCard) -> impl IntoView {
    let href = format!("/courses/{}", course.id);
    let formats = formats_text(&course);
    let teachers = course.teachers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ");
    view! {
        <article class="card course-card">
            <h3 class="card__title">
                <A href=href>{course.title}</A>
            </h3>
            <p class="muted">{ru::date_range(course.term_start, course.term_end)}</p>
            <ul class="slot-list">
                {course
                    .slots
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <abbr title=ru::weekday(s.weekday)>
                                    {ru::weekday_short(s.weekday)}
                                </abbr>
                                " "
                                {ru::time_range(s.starts_at, s.duration_minutes)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>{course.summary}</p>
            <p class="card__meta">
                <span>{teachers}</span>
                <span>{formats}</span>
            </p>
            <Availability seats_left=course.seats_left capacity=course.capacity />
        </article>
    }
}

#[component]
pub fn CoursesPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_courses(None));
    view! {
        <Title text="Курсы и расписание" />
        <Meta
            name="description"
            content="Курсы театральной школы «Кулисы»: актёрское мастерство, сценическая речь, движение, импровизация. Расписание, педагоги и свободные места."
        />
        <h1>"Курсы и расписание"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(
                    courses.await,
                    |list| {
                        if list.is_empty() {
                            view! { <p class="empty">"Набор на новые курсы скоро откроется."</p> }
                                .into_any()
                        } else {
                            view! {
                                <div class="grid">
                                    {list
                                        .into_iter()
                                        .map(|course| view! { <CourseCardView course /> })
                                        .collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn CourseDetailView(course: CourseDetail) -> impl IntoView {
    let card = course.card;
    let formats = formats_text(&card);
    view! {
        <Title text=card.title.clone() />
        <Meta name="description" content=card.summary.clone() />
        <article class="detail">
            <p class="breadcrumbs">
                <A href="/courses">"Курсы и расписание"</A>
            </p>
            <h1>{card.title}</h1>
            <Availability seats_left=card.seats_left capacity=card.capacity />
            <p>
                <A href=format!("/courses/{}/enroll", card.id) attr:class="button">
                    {if card.seats_left > 0 { "Записаться" } else { "Встать в лист ожидания" }}
                </A>
            </p>
            <dl class="facts">
                <dt>"Период"</dt>
                <dd>{ru::date_range(card.term_start, card.term_end)}</dd>
                <dt>"Формат"</dt>
                <dd>{formats}</dd>
                <dt>"Мест в группе"</dt>
                <dd>{card.capacity}</dd>
            </dl>
            {paragraphs(&course.description).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            <h2>"Расписание занятий"</h2>
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">"Еженедельные занятия"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"День"</th>
                            <th scope="col">"Время"</th>
                            <th scope="col">"Аудитория"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {card
                            .slots
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <td>{ru::weekday(s.weekday)}</td>
                                        <td>{ru::time_range(s.starts_at, s.duration_minutes)}</td>
                                        <td>{s.room}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>"Педагоги"</h2>
            <ul class="people">
                {card
                    .teachers
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li>
                                <strong>{t.name}</strong>
                                <span class="muted">{t.specialization}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </article>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let course = Resource::new(
        move || params.read().get("id").and_then(|id| id.parse::<i32>().ok()),
        |id| async move {
            match id {
                Some(id) => get_course(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(course.await, |course| view! { <CourseDetailView course /> })
            })}
        </Suspense>
    }
}
