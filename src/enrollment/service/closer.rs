//! Closing requests whose period is over, in the background.
use crate::server::entities::enrollment;
use crate::domain::{
        EnrollmentStatus,
        enrollment::Event,
    };
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection,
    DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};

/// Closes requests whose period is over: confirmed ones are completed,
/// undecided ones expire. Returns how many changed.
pub async fn close_ended(db: &DatabaseConnection, today: NaiveDate) -> Result<u64, DbErr> {
    let mut changed = 0;
    let transitions = [
        (EnrollmentStatus::Confirmed, Event::Complete, None),
        (EnrollmentStatus::Pending, Event::Expire, Some("Заявку не успели рассмотреть до конца периода.")),
        (EnrollmentStatus::Waitlisted, Event::Expire, Some("Место так и не освободилось.")),
    ];
    for (from, event, reason) in transitions {
        let Some(to) = from.after(event) else { continue };
        let mut update = enrollment::Entity::update_many()
            .col_expr(enrollment::Column::Status, Expr::value(to))
            .col_expr(enrollment::Column::UpdatedAt, Expr::value(Utc::now()));
        if let Some(reason) = reason {
            update = update.col_expr(enrollment::Column::Reason, Expr::value(reason));
        }
        // The status in the filter makes each row change once, whoever else
        // is deciding on it at the same moment.
        changed += update
            .filter(enrollment::Column::Status.eq(from))
            .filter(enrollment::Column::PeriodEnd.lt(today))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(changed)
}

/// Closes ended periods at start and then every ten minutes.
pub fn spawn_closer(db: DatabaseConnection, tz: chrono_tz::Tz) {
    crate::server::workers::every("closer", std::time::Duration::from_secs(600), move || {
        let db = db.clone();
        async move { close_ended(&db, Utc::now().with_timezone(&tz).date_naive()).await }
    });
}
