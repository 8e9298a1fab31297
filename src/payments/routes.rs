//! The money reports and the payroll as CSV downloads for Russian Excel
//! (`/admin/reports/<report>.csv?from=…&to=…`): the office only.
use crate::{
    domain::{
        payroll,
        report::{Period, csv_table, revenue_csv, rubles},
    },
    payments::{DebtorRow, RefundRow},
    server::{AppState, downloads::office_csv},
};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/reports/{file}", get(report_csv))
}

/// The reports one may download, by their file's stem.
const REPORTS: [&str; 7] = ["days", "months", "courses", "methods", "refunds", "debts", "payroll"];

async fn report_csv(State(state): State<AppState>, headers: HeaderMap, Path(file): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    let Some(report) = file.strip_suffix(".csv").filter(|r| REPORTS.contains(r)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let arg = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let period = Period::parse(arg("from"), arg("to"), state.today());
    let name = format!("kulisy-{report}-{}-{}.csv", period.from, period.to);
    let db = &state.db;
    let tz = state.config.time_zone;
    office_csv(&state, &headers, &name, async move {
        if report == "payroll" {
            return Ok(payroll::csv(&super::service::payroll::payroll(db, period).await?.rows));
        }
        let r = super::service::reports::money_reports(db, period, tz).await?;
        Ok(match report {
            "days" => revenue_csv("День", &r.by_day),
            "months" => revenue_csv("Месяц", &r.by_month),
            "courses" => revenue_csv("Курс", &r.by_course),
            "methods" => revenue_csv("Способ оплаты", &r.by_method),
            "refunds" => refunds_csv(&r.refunds),
            _ => debts_csv(&r.debtors),
        })
    })
    .await
}

fn refunds_csv(rows: &[RefundRow]) -> String {
    let cells = rows.iter().map(|r| vec![r.day.format("%d.%m.%Y").to_string(), r.payer.clone(), rubles(r.amount), r.reason.clone()]);
    csv_table(&["Дата", "Плательщик", "Сумма, ₽", "Причина"], cells)
}

fn debts_csv(rows: &[DebtorRow]) -> String {
    let cells = rows.iter().map(|r| vec![r.name.clone(), rubles(r.debt)]);
    csv_table(&["Плательщик", "Долг, ₽"], cells)
}
