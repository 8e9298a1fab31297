//! The schedule: every course with its filters, as a list or as a week
//! calendar, and each course's page.
mod card;
mod week;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;

use crate::{
    domain::{CourseCard, CourseDetail, CourseFormat, ScheduleQuery, ScheduleView, TeacherRef, catalogue::paragraphs, family::age_label, ru},
    error::AppError,
    reviews::{PublishedReviews, PublishedReviewsBlock, published_reviews},
    seo::{Breadcrumbs, COURSE_TRAIL, PageKind, PublicHead, StructuredData, describe},
    ui::{ActionEpoch, FilterForm, FilterSelect, Loading, PageHtml, by_route_address, result_view, route_address},
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::use_query_map,
};
use serde::{Deserialize, Serialize};

pub use card::{availability_class, formats_text};

/// The schedule after filtering, with what the filter form offers. Its
/// cards — or, as a week calendar, its days — are HTML the server wrote
/// (`Cards` is a `String` from the server function, a [`PageHtml`] in the
/// page's resource).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule<Cards = String> {
    /// The filters and view this answer is for.
    pub query: ScheduleQuery,
    pub cards: Cards,
    /// Courses after filtering.
    pub shown: usize,
    /// Everyone teaching a course on the schedule, for the teacher filter.
    pub teachers: Vec<TeacherRef>,
    /// Courses before filtering.
    pub total: usize,
    pub today: NaiveDate,
}

/// Public: the schedule of published courses whose term has not ended.
#[leptos::server(endpoint = "courses/schedule")]
pub async fn load_schedule(#[server(default)] query: ScheduleQuery) -> Result<Schedule, AppError> {
    let state = crate::server::state()?;
    let today = state.today();
    let listing = state.schedule.get_or_make(&state.db, today, || service::listing(&state.db, today)).await?;
    let admitted: Vec<&(CourseCard, String)> = listing.courses.iter().filter(|(card, _)| query.admits(card)).collect();
    let cards = match query.view {
        ScheduleView::List => admitted.iter().map(|(_, html)| html.as_str()).collect(),
        ScheduleView::Week => week::days_html(admitted.iter().map(|(card, _)| card), &query, today),
    };
    let shown = admitted.len();
    let (teachers, total) = (listing.teachers.clone(), listing.courses.len());
    Ok(Schedule { query, cards, shown, teachers, total, today })
}

impl Schedule {
    fn on_page(self) -> Schedule<PageHtml> {
        let Schedule { query, cards, shown, teachers, total, today } = self;
        Schedule { query, cards: cards.into(), shown, teachers, total, today }
    }
}

/// Public: the course its page's address names (slug, former slug or number).
#[leptos::server(endpoint = "courses/get")]
pub async fn get_course(address: String) -> Result<CourseDetail, AppError> {
    use crate::{domain::CourseId, server::addresses::{Kind, record_at}};
    let state = crate::server::state()?;
    let id = CourseId(record_at(&state.db, Kind::Course, &address).await?);
    let course = service::course(&state.db, id, state.today()).await?.ok_or(AppError::NotFound)?;
    let course = CourseDetail { prices: crate::passes::service::prices::public_lines(&state.db, id).await?, ..course };
    let site = crate::seo::structured::Site::of(&state).await?;
    let data = crate::seo::structured::course(&site, &course);
    Ok(CourseDetail { structured_data: crate::seo::structured::script_text(&data), ..course })
}

#[component]
fn Availability(seats_left: i32, capacity: i32) -> impl IntoView {
    view! { <span class=availability_class(seats_left)>{ru::availability(seats_left, capacity)}</span> }
}

/// One course's card, for the few cards of the home page and a teacher's
/// page (the schedule writes its many cards at once).
#[component]
pub fn CourseCardView(course: CourseCard) -> impl IntoView {
    view! { <article class="card course-card" inner_html=card::card_body_html(&course) /> }
}

#[component]
pub fn CoursesPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        ScheduleQuery::from_params(|name| p.get(name))
    });
    let epoch = expect_context::<ActionEpoch>();
    let schedule = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| async move {
        load_schedule(q).await.map(Schedule::on_page)
    });
    // Every filtered or paged view is the schedule itself to a search engine.
    let filtered = query.with_untracked(|q| q.is_filtered() || q.view != ScheduleView::List || q.week.is_some());
    view! {
        <PublicHead
            title="Курсы и расписание"
            description="Курсы театральной школы: актёрское мастерство, сценическая речь, движение, импровизация. Расписание, педагоги и свободные места."
            path="/courses"
            noindex=filtered
        />
        <h1>"Курсы и расписание"</h1>
        <Suspense fallback=Loading>
            // The answer names its filters: on the server this may run after the
            // page's own signals are gone (leptos resolves it in an effect).
            {move || Suspend::new(async move { result_view(schedule.await, move |s| view! { <ScheduleBody s /> }) })}
        </Suspense>
    }
}

#[component]
fn ScheduleBody(s: Schedule<PageHtml>) -> impl IntoView {
    let q = s.query.clone();
    let as_list = ScheduleQuery { view: ScheduleView::List, week: None, ..q.clone() };
    let as_week = ScheduleQuery { view: ScheduleView::Week, ..q.clone() };
    let found = if q.is_filtered() {
        format!(
            "Найдено {} из {} {}",
            s.shown,
            s.total,
            ru::plural(s.total as i64, ["курса", "курсов", "курсов"])
        )
    } else {
        String::new()
    };
    let content = if s.shown == 0 {
        let text = if q.is_filtered() {
            "Под эти условия курсов нет: попробуйте убрать часть фильтров."
        } else {
            "Набор на новые курсы скоро откроется."
        };
        view! { <p class="empty">{text}</p> }.into_any()
    } else if q.view == ScheduleView::Week {
        view! { <week::WeekCalendar days=s.cards q=q.clone() today=s.today /> }.into_any()
    } else {
        view! {
            <h2 class="visually-hidden">"Список курсов"</h2>
            <div class="grid" inner_html=s.cards.0 />
        }
        .into_any()
    };
    view! {
        <Filters teachers=s.teachers q=q.clone() />
        <div class="schedule-bar">
            <p class="muted" role="status">{found}</p>
            <nav class="view-switch" aria-label="Вид расписания">
                <A href=as_list.href() attr:aria-current=(q.view == ScheduleView::List).then_some("page")>"Списком"</A>
                <A href=as_week.href() attr:aria-current=(q.view == ScheduleView::Week).then_some("page")>"По неделям"</A>
            </nav>
        </div>
        {content}
    }
}

/// The filter form: a plain GET form, so the filtered address can be
/// shared and the filters work before the bundle loads.
#[component]
fn Filters(teachers: Vec<TeacherRef>, q: ScheduleQuery) -> impl IntoView {
    let teacher_options = teachers
        .into_iter()
        .map(|t| view! { <option value=t.id.to_string() selected=q.teacher == Some(t.id)>{t.name}</option> })
        .collect_view();
    let day_options = (1..=7u8)
        .map(|d| view! { <option value=d.to_string() selected=q.weekday == Some(d)>{ru::weekday(d)}</option> })
        .collect_view();
    let format_options = CourseFormat::ALL
        .into_iter()
        .map(|f| view! { <option value=f.slug() selected=q.format == Some(f)>{f.label()}</option> })
        .collect_view();
    // «Для детей 8 лет»: ages a school teaches, 3 to 18 and adults.
    let age_options = (3..=18u8)
        .map(|a| view! { <option value=a.to_string() selected=q.age == Some(a)>{age_label(a.into())}</option> })
        .collect_view();
    let week_view = q.view == ScheduleView::Week;
    let reset = q.is_filtered().then(|| ScheduleQuery { view: q.view, week: q.week, ..Default::default() }.href());
    view! {
        <FilterForm action="/courses" label="Фильтры расписания" reset>
            <FilterSelect label="Педагог" name="teacher" any="Все педагоги">{teacher_options}</FilterSelect>
            <FilterSelect label="День недели" name="day" any="Любой">{day_options}</FilterSelect>
            <FilterSelect label="Формат" name="format" any="Любой">{format_options}</FilterSelect>
            <FilterSelect label="Возраст ученика" name="age" any="Любой">{age_options}</FilterSelect>
            <div class="field field--check">
                <input type="checkbox" id="f-free" name="free" value="1" checked=q.only_free />
                <label for="f-free">"Только со свободными местами"</label>
            </div>
            {week_view.then(|| view! { <input type="hidden" name="view" value="week" /> })}
            {q.week.filter(|_| week_view).map(|w| view! { <input type="hidden" name="week" value=w.to_string() /> })}
        </FilterForm>
    }
}

#[component]
fn CourseDetailView(course: CourseDetail, reviews: Resource<Result<PublishedReviews, AppError>>) -> impl IntoView {
    let card = course.card;
    let formats = formats_text(&card);
    view! {
        <PublicHead title=card.title.clone() description=describe(&card.summary, &card.title) path=card.path.clone() kind=PageKind::Article />
        <StructuredData json=course.structured_data />
        <article class="detail">
            <Breadcrumbs trail=COURSE_TRAIL here=card.title.clone() />
            <h1>{card.title}</h1>
            <Availability seats_left=card.seats_left capacity=card.capacity />
            <p>
                <A href=format!("{}/enroll", card.path) attr:class="button">
                    {if card.seats_left > 0 { "Записаться" } else { "Встать в лист ожидания" }}
                </A>
            </p>
            <dl class="facts">
                <dt>"Период"</dt>
                <dd>{ru::date_range(card.term_start, card.term_end)}</dd>
                <dt>"Формат"</dt>
                <dd>{formats}</dd>
                {card.ages.label().map(|ages| view! { <dt>"Возраст"</dt><dd>{ages}</dd> })}
                <dt>"Мест в группе"</dt>
                <dd>{card.capacity}</dd>
            </dl>
            {paragraphs(&course.description).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            {(!course.prices.is_empty()).then(|| view! {
                <h2>"Стоимость"</h2>
                <ul class="price-list">
                    {course.prices.into_iter().map(|line| view! { <li>{line.name} " — " <strong>{line.price.or_free()}</strong></li> }).collect_view()}
                </ul>
            })}
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
                                <A href=t.path>
                                    <strong>{t.name}</strong>
                                </A>
                                <span class="muted">{t.specialization}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <PublishedReviewsBlock about="course" data=reviews />
        </article>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let reviews = published_reviews("course", route_address());
    let course = by_route_address(get_course);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(course.await, move |course| view! { <CourseDetailView course reviews /> })
            })}
        </Suspense>
    }
}
