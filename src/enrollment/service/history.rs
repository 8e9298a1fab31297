//! The student's history: their requests and the invitations they got.
use crate::server::{
    Config,
    entities::{enrollment, user},
    families,
    teachers::teacher_names,
};
use crate::{
    domain::{
        EnrollmentStatus,
        enrollment::PartnerAnswer,
    },
    enrollment::wire::{ChildEnrollments, EnrollmentView, MyEnrollments},
    error::AppError,
};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// The history page: the user's own requests and the invitations they got,
/// and a guardian's children's requests, one group per child under 18.
pub async fn history(
    db: &DatabaseConnection,
    u: &user::Model,
    today: NaiveDate,
    config: &Config,
) -> Result<MyEnrollments, AppError> {
    let children = families::minors_guarded_by(db, u.id, today).await?;
    let rows = enrollment::Entity::find()
        .filter(
            Condition::any()
                .add(enrollment::Column::StudentId.eq(u.id))
                .add(enrollment::Column::PartnerId.eq(u.id))
                .add(enrollment::Column::StudentId.is_in(children.iter().map(|c| c.id))),
        )
        .order_by_desc(enrollment::Column::PeriodStart)
        .order_by_desc(enrollment::Column::Id)
        .all(db)
        .await?;

    let courses = crate::server::courses::names(db, rows.iter().map(|e| e.course_id)).await?;
    let teacher_names = teacher_names(db, rows.iter().filter_map(|e| e.teacher_id)).await?;
    let people: Vec<i32> = rows.iter().flat_map(|e| [e.student_id, e.partner_id]).flatten().collect();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();

    let mut attendance: HashMap<i32, Vec<(NaiveDate, bool)>> = HashMap::new();
    for mark in crate::server::entities::attendance::Entity::find()
        .filter(crate::server::entities::attendance::Column::EnrollmentId.is_in(rows.iter().map(|e| e.id)))
        .order_by_asc(crate::server::entities::attendance::Column::SessionDate)
        .all(db)
        .await?
    {
        attendance.entry(mark.enrollment_id).or_default().push((mark.session_date, mark.present));
    }

    let (mut own, mut as_partner) = (Vec::new(), Vec::new());
    let mut of_child: HashMap<i32, Vec<EnrollmentView>> = HashMap::new();
    for e in rows {
        let child = e.student_id.filter(|id| children.iter().any(|c| c.id == *id));
        let mine = e.student_id == Some(u.id) || child.is_some();
        let course = courses.get(&e.course_id).cloned().unwrap_or_default();
        let view = EnrollmentView {
            id: e.id,
            course_title: course.title,
            course_path: course.path,
            teacher_name: e.teacher_id.and_then(|t| teacher_names.get(&t).cloned()),
            student_name: e.student_id.and_then(|s| names.get(&s).cloned()),
            format: e.format,
            partner_name: e.partner_id.and_then(|p| names.get(&p).cloned()),
            partner_answer: e.partner_status,
            period: e.period(),
            status: e.status,
            reason: e.reason,
            created_at: e.created_at,
            may_cancel: mine && e.status.student_may_cancel(e.period_start, today),
            may_answer: !mine
                && e.partner_status == Some(PartnerAnswer::Invited)
                && EnrollmentStatus::ACTIVE.contains(&e.status),
            attendance: attendance.remove(&e.id).unwrap_or_default(),
            passes_href: e
                .student_id
                .filter(|_| mine && e.status.holds_seats())
                .map(|s| format!("/{}#member-{s}", crate::server::links::PASSES)),
        };
        match child {
            Some(id) => of_child.entry(id).or_default().push(view),
            None if mine => own.push(view),
            None => as_partner.push(view),
        }
    }
    let children = children
        .into_iter()
        .map(|c| ChildEnrollments { enrollments: of_child.remove(&c.id).unwrap_or_default(), name: c.full_name })
        .collect();
    Ok(MyEnrollments { own, children, as_partner, feed_url: crate::enrollment::service::calendar::feed_url(config, u) })
}
