//! «Мои записи»: every request of the student with its status, cancellation
//! with a confirmation step, invitations to be someone's pair partner, and
//! the personal calendar feed.
use super::{
    AnswerInvitation, CancelEnrollment, EnrollmentView, MyEnrollments, SetCalendarFeed, load_my_enrollments,
};
use crate::{
    domain::{CourseFormat, EnrollmentStatus, ru},
    ui::{ActionEpoch, FormError, FormSuccess, Loading, Submit, action_error, result_view},
    viewer::{Audience, Gate},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

/// The forms of the page; one action each, shared by every card.
#[derive(Clone, Copy)]
struct Actions {
    cancel: ServerAction<CancelEnrollment>,
    answer: ServerAction<AnswerInvitation>,
    feed: ServerAction<SetCalendarFeed>,
}

#[component]
pub fn MyEnrollmentsPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let list = Resource::new(move || epoch.0.get(), |_| load_my_enrollments());
    let actions = Actions {
        cancel: ServerAction::new(),
        answer: ServerAction::new(),
        feed: ServerAction::new(),
    };
    view! {
        <Title text="Мои записи" />
        <Meta name="robots" content="noindex" />
        <Gate audience=Audience::SignedIn>
            <h1>"Мои записи"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(list.await, move |data| view! { <History data actions /> })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn History(data: MyEnrollments, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let confirming = Memo::new(move |_| query.read().get("cancel").and_then(|id| id.parse::<i32>().ok()));
    let cancel_error = action_error(actions.cancel);
    let answer_error = action_error(actions.answer);
    let own = if data.own.is_empty() {
        view! {
            <p class="empty">
                "Вы ещё никуда не записаны. " <A href="/courses">"Выберите курс в расписании"</A> "."
            </p>
        }
        .into_any()
    } else {
        data.own
            .into_iter()
            .map(|e| view! { <EnrollmentCard e confirming actions /> })
            .collect_view()
            .into_any()
    };
    let invitations = (!data.as_partner.is_empty()).then(|| {
        view! {
            <h2>"Приглашения в пару"</h2>
            <FormError error=answer_error />
            <FormSuccess action=actions.answer text="Ответ отправлен: ученик получит письмо." />
            {data.as_partner.into_iter().map(|e| view! { <InvitationCard e actions /> }).collect_view()}
        }
    });
    // A guardian's children: one group per child, each with its cards.
    let children = data
        .children
        .into_iter()
        .map(|child| {
            let cards = if child.enrollments.is_empty() {
                view! { <p class="empty">"Заявок пока нет."</p> }.into_any()
            } else {
                child.enrollments.into_iter().map(|e| view! { <EnrollmentCard e confirming actions /> }).collect_view().into_any()
            };
            view! {
                <h2>{child.name}</h2>
                <div class="enrollment-list">{cards}</div>
            }
        })
        .collect_view();
    view! {
        <FormError error=cancel_error />
        <h2>"Мои заявки"</h2>
        <div class="enrollment-list">{own}</div>
        {children}
        {invitations}
        <CalendarFeed url=data.feed_url action=actions.feed />
    }
}

fn badge(status: EnrollmentStatus) -> impl IntoView {
    view! { <span class=format!("status status--{}", status.css())>{status.label()}</span> }
}

/// Teacher, format, partner and period of a request.
fn facts(e: &EnrollmentView) -> impl IntoView + use<> {
    let partner = (e.format == CourseFormat::Pair).then(|| {
        let who = e.partner_name.clone().unwrap_or_else(|| "подберёт педагог".into());
        let answer = e.partner_answer.map(|a| format!(" ({})", a.label())).unwrap_or_default();
        view! {
            <dt>"Партнёр"</dt>
            <dd>{who}{answer}</dd>
        }
    });
    view! {
        <dl class="facts facts--compact">
            <dt>"Педагог"</dt>
            <dd>{e.teacher_name.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Формат"</dt>
            <dd>{e.format.label()}</dd>
            {partner}
            <dt>"Период"</dt>
            <dd>{ru::date_range(e.period.start, e.period.end)}</dd>
        </dl>
    }
}

#[component]
fn EnrollmentCard(e: EnrollmentView, confirming: Memo<Option<i32>>, actions: Actions) -> impl IntoView {
    let id = e.id;
    let title = e.course_title.clone();
    let reason = e.reason.clone().filter(|_| {
        matches!(e.status, EnrollmentStatus::Rejected | EnrollmentStatus::Cancelled)
    });
    let calendar = EnrollmentStatus::ACTIVE
        .contains(&e.status)
        .then(|| view! { <a href=format!("/my/enrollments/{id}/calendar.ics") download="">"В календарь (.ics)"</a> });
    let may_cancel = e.may_cancel;
    let attendance = (!e.attendance.is_empty()).then(|| {
        let present = e.attendance.iter().filter(|(_, p)| *p).count();
        let marks = e
            .attendance
            .iter()
            .map(|(d, p)| format!("{} — {}", ru::day_month(*d), if *p { "был(а)" } else { "пропуск" }))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <details class="attendance">
                <summary>{format!("Посещаемость: {present} из {}", e.attendance.len())}</summary>
                <p class="muted">{marks}</p>
            </details>
        }
    });
    let (course_href, course_title, facts) = (e.course_path.clone(), e.course_title.clone(), facts(&e));
    view! {
        <article class="card enrollment" id=format!("enrollment-{id}")>
            <header class="enrollment__head">
                <h3 class="card__title">
                    <A href=course_href>{course_title}</A>
                </h3>
                {badge(e.status)}
            </header>
            {facts}
            {reason.map(|r| view! { <p class="reason">"Причина: " {r}</p> })}
            {attendance}
            <p class="card__actions">
                {e.passes_href.map(|href| view! { <a href=href>"Абонемент, пропуски и отработки"</a> })}
                {calendar}
                {move || (may_cancel && confirming.get() != Some(id)).then(|| view! {
                    <A href=format!("/my/enrollments?cancel={id}#enrollment-{id}") attr:class="button button--ghost">
                        "Отменить заявку"
                    </A>
                })}
            </p>
            {move || (may_cancel && confirming.get() == Some(id)).then(|| {
                let title = title.clone();
                view! {
                    <div class="confirm" role="alertdialog" aria-labelledby=format!("confirm-{id}")>
                        <p id=format!("confirm-{id}")>
                            <strong>"Отменить запись на «" {title} "»?"</strong>
                            " Место освободится для других; вернуть заявку будет нельзя — только записаться заново."
                        </p>
                        <ActionForm action=actions.cancel attr:class="form form--inline">
                            <input type="hidden" name="id" value=id.to_string() />
                            <Submit action=actions.cancel label="Да, отменить" class="button button--danger" />
                            <A href="/my/enrollments" attr:class="button button--ghost">"Нет, оставить"</A>
                        </ActionForm>
                    </div>
                }
            })}
        </article>
    }
}

#[component]
fn InvitationCard(e: EnrollmentView, actions: Actions) -> impl IntoView {
    let id = e.id.to_string();
    let answer_form = move |answer: &'static str, label: &'static str, class: &'static str| {
        let id = id.clone();
        view! {
            <ActionForm action=actions.answer attr:class="form form--inline">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="answer" value=answer />
                <Submit action=actions.answer label class />
            </ActionForm>
        }
    };
    view! {
        <article class="card enrollment">
            <header class="enrollment__head">
                <h3 class="card__title">{e.course_title.clone()}</h3>
                {badge(e.status)}
            </header>
            <p>
                {e.student_name.clone().unwrap_or_else(|| "Ученик".into())}
                " приглашает вас заниматься в паре."
            </p>
            {facts(&e)}
            {e.may_answer.then(|| view! {
                <div class="card__actions">
                    {answer_form("yes", "Согласиться", "button")}
                    {answer_form("no", "Отказаться", "button button--ghost")}
                </div>
            })}
        </article>
    }
}

#[component]
fn CalendarFeed(url: Option<String>, action: ServerAction<SetCalendarFeed>) -> impl IntoView {
    let error = action_error(action);
    let button = move |change: &'static str, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action attr:class="form form--inline">
                <input type="hidden" name="change" value=change />
                <Submit action label class />
            </ActionForm>
        }
    };
    view! {
        <section class="calendar-feed" aria-labelledby="feed-title">
            <h2 id="feed-title">"Календарь занятий"</h2>
            <FormError error />
            <FormSuccess action text="Готово: настройки подписки сохранены." />
            {match url {
                Some(url) => view! {
                    <p>"Добавьте этот адрес в Google Календарь, Apple Календарь или Outlook как подписку: подтверждённые занятия появятся там сами. Адрес секретный — не публикуйте его."</p>
                    <div class="field">
                        <label for="f-feed-url">"Адрес подписки"</label>
                        <input id="f-feed-url" type="text" readonly=true value=url />
                    </div>
                    <div class="card__actions">
                        {button("renew", "Сменить адрес", "button button--ghost")}
                        {button("off", "Отключить", "button button--ghost")}
                    </div>
                }.into_any(),
                None => view! {
                    <p>"Подписка показывает все подтверждённые занятия в вашем календарном приложении и обновляется сама."</p>
                    {button("on", "Включить подписку", "button")}
                }.into_any(),
            }}
        </section>
    }
}
