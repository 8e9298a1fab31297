//! «Абонементы»: a student's (and a guardian's children's) passes with
//! their history, lessons on credit, and the passes they may ask for.
use super::{CreditView, MemberPasses, PassView, RequestPass, load_my_passes};
use crate::{
    domain::{pass::{EntryKind, PassStatus}, ru},
    ui::{ActionEpoch, FormError, Loading, Submit, action_error, result_view},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

mod absences;
mod office;
mod reports;
use absences::{Absences, AbsenceActions};
pub use office::{PersonPassesPanel, PricingPage};
pub use reports::OfficePassesPage;

/// «8 занятий · Этюды»: a pass with its lessons, dates and history.
#[component]
pub fn PassCard(pass: PassView) -> impl IntoView {
    let warn = matches!(pass.status, PassStatus::UsedUp | PassStatus::Expired);
    let history = pass
        .history
        .into_iter()
        .map(|e| {
            let what = match (e.kind, e.lesson_date, e.freeze) {
                (EntryKind::Sale, ..) => format!("{}: {} {}", e.kind.label(), e.lessons, ru::plural(e.lessons.into(), ["занятие", "занятия", "занятий"])),
                (_, Some(day), _) => format!("{}: занятие {}", e.kind.label(), ru::date(day)),
                (_, _, Some(f)) => format!("{}: {}", e.kind.label(), ru::date_range(f.from, f.until)),
                _ => e.kind.label().to_string(),
            };
            let reason = e.reason.map(|r| format!(" ({r})"));
            view! { <li>{what}{reason}</li> }
        })
        .collect_view();
    view! {
        <article class="card pass" class:pass--over=warn>
            <h3 class="card__title">{pass.name} " · " {pass.course_title}</h3>
            <p class="pass__left">
                <strong>{format!("Осталось {} из {}", pass.lessons_left, pass.lessons_bought)}</strong>
                " · " {pass.status.label()}
            </p>
            <p class="muted">
                {format!("Действует с {} по {}", ru::date(pass.valid_from), ru::date(pass.valid_until))}
                " · " {pass.price.to_string()}
            </p>
            <details>
                <summary>"История абонемента"</summary>
                <ul class="plain-list">{history}</ul>
            </details>
        </article>
    }
}

/// Lessons attended without a valid pass: the next pass pays them first.
#[component]
pub fn Credits(credits: Vec<CreditView>) -> impl IntoView {
    (!credits.is_empty()).then(|| {
        let items = credits
            .into_iter()
            .map(|c| view! { <li>{ru::date(c.date)} " · " {c.course_title}</li> })
            .collect_view();
        view! {
            <div class="notice notice--warning">
                <h3>"Занятия в долг"</h3>
                <p>"Их оплатит следующий абонемент курса."</p>
                <ul class="plain-list">{items}</ul>
            </div>
        }
    })
}

#[component]
pub fn MyPassesPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let members = Resource::new(move || epoch.0.get(), |_| load_my_passes());
    let request = ServerAction::<RequestPass>::new();
    let absences = AbsenceActions::new();
    view! {
        <Title text="Абонементы" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <h1>"Абонементы"</h1>
            <FormError error=action_error(request) />
            {move || request.value().get().and_then(Result::ok).map(|(id, number)| view! {
                <p class="notice" role="status">
                    "Абонемент ждёт оплаты: " <A href=format!("/my/invoices/{id}")>{format!("счёт № {number}")}</A>
                    " — его можно оплатить по QR-коду в приложении банка."
                </p>
            })}
            {absences.result()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(members.await, move |all| {
                        all.into_iter().map(|m| view! { <Member m request absences /> }).collect_view()
                    })
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn Member(m: MemberPasses, request: ServerAction<RequestPass>, absences: AbsenceActions) -> impl IntoView {
    let passes = if m.passes.is_empty() {
        view! { <p class="empty">"Абонементов пока нет."</p> }.into_any()
    } else {
        m.passes.into_iter().map(|pass| view! { <PassCard pass /> }).collect_view().into_any()
    };
    let member = m.member_field.clone();
    let offers = m
        .offers
        .into_iter()
        .map(|o| {
            let t = o.pass_type;
            let member = member.clone();
            view! {
                <li>
                    {format!("{} · {} · {} {} на {} дн. · {}", o.course_title, t.name, t.lessons,
                        ru::plural(t.lessons.into(), ["занятие", "занятия", "занятий"]), t.valid_days, t.price)}
                    <ActionForm action=request attr:class="form form--inline">
                        <input type="hidden" name="member" value=member />
                        <input type="hidden" name="pass_type" value=t.id.to_string() />
                        <Submit action=request label="Попросить абонемент" class="button button--ghost" />
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id=format!("member-{}", m.member)>
            <h2>{m.name}</h2>
            <div class="enrollment-list">{passes}</div>
            <Credits credits=m.credits />
            <Absences member=m.member_field.clone() upcoming=m.upcoming makeups=m.makeups actions=absences />
            <h3>"Купить абонемент"</h3>
            <p class="muted">"Школа подтвердит абонемент после оплаты."</p>
            <ul class="plain-list">{offers}</ul>
        </section>
    }
}
