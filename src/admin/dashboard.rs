//! The office's first page: counts, charts (revenue per month among them),
//! the staff sign-in setting and the privacy policy.
use super::{Dashboard, SavePrivacyPolicy, SetStaffMfa, frame::OfficePage, load_dashboard};
use crate::{
    domain::{money::Kopecks, ru},
    ui::{ActionEpoch, FormError, FormSuccess, Loading, Submit, TextArea, action_error, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;

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
            <WeeklyChart caption="Заявки по неделям" weeks=d.weekly_requests />
            <WeeklyChart caption="Списано занятий по неделям" weeks=d.weekly_write_offs />
            <RevenueChart months=d.monthly_revenue />
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

/// A count per week as vertical bars.
#[component]
fn WeeklyChart(caption: &'static str, weeks: Vec<(chrono::NaiveDate, u64)>) -> impl IntoView {
    let summary = weeks.iter().map(|(w, n)| format!("неделя с {}: {n}", ru::day_month(*w))).collect::<Vec<_>>().join("; ");
    let labels = ru::week_labels(&weeks.iter().map(|(w, _)| *w).collect::<Vec<_>>());
    let bars = weeks.into_iter().zip(labels).map(|((_, n), label)| (label, n, n.to_string())).collect();
    view! { <BarChart caption summary bars /> }
}

/// Money in less refunds per month, in thousands of rubles.
#[component]
fn RevenueChart(months: Vec<(chrono::NaiveDate, Kopecks)>) -> impl IntoView {
    let summary = months.iter().map(|(m, k)| format!("{}: {k}", ru::month(*m))).collect::<Vec<_>>().join("; ");
    let bars = months
        .into_iter()
        .map(|(m, k)| {
            let rubles = (k.0.max(0) / 100) as u64;
            (ru::month_short(m).to_string(), rubles, format!("{}", (rubles + 500) / 1000))
        })
        .collect();
    view! { <BarChart caption="Выручка по месяцам, тыс. ₽" summary bars /> }
}

/// Vertical bars, each with its label below and its value shown above.
#[component]
fn BarChart(caption: &'static str, summary: String, bars: Vec<(String, u64, String)>) -> impl IntoView {
    let most = bars.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1);
    let width = (bars.len() as i32 * 44).max(44);
    let bars = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, n, shown))| {
            // Bars up to 110 high, so the value above the tallest still fits.
            let h = (110 * n / most) as i32;
            let x = i as i32 * 44;
            view! {
                <g>
                    <rect x=x + 6 y=130 - h width="32" height=h rx="3" class="chart__bar" />
                    <text x=x + 22 y=126 - h class="chart__value" text-anchor="middle">{shown}</text>
                    <text x=x + 22 y="148" class="chart__label" text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart panel">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {width} 152") role="img" aria-label=summary>{bars}</svg>
        </figure>
    }
}
