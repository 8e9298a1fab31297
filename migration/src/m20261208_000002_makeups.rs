//! Notices of absence and make-up lessons (issue #33).
//!
//! A student (or guardian) tells the school ahead that they will miss one
//! lesson: `absence_notices`, one per enrollment and day. Told in time (the
//! school's hours ahead), nothing is written off for it and a make-up
//! credit is given (`makeup_credits`), which expires after the school's
//! days; the student books it into another lesson of the course (another
//! weekday slot, or a group of the same title) with a free seat, and the
//! teacher's mark there (`attended`) spends the credit, not a pass.
use crate::foreign_keys::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table("absence_notices")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("enrollment_id"))
                .col(date("lesson_date"))
                .col(boolean("in_time"))
                .col(integer_null("reported_by"))
                .col(timestamp_with_time_zone("reported_at"))
                .foreign_key(&mut fk("absence_notices", "enrollment_id", "enrollments", Cascade))
                .foreign_key(&mut fk("absence_notices", "reported_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_absence_notices_enrollment_day")
                .table("absence_notices")
                .col("enrollment_id")
                .col("lesson_date")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("makeup_credits")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("student_id"))
                .col(integer("course_id"))
                .col(integer_uniq("notice_id"))
                .col(date("missed_date"))
                .col(date("expires_on"))
                .col(integer_null("booked_course_id"))
                .col(date_null("booked_date"))
                .col(boolean_null("attended"))
                .col(integer_null("marked_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("makeup_credits", "student_id", "users", Cascade))
                .foreign_key(&mut fk("makeup_credits", "course_id", "courses", Cascade))
                .foreign_key(&mut fk("makeup_credits", "notice_id", "absence_notices", Cascade))
                .foreign_key(&mut fk("makeup_credits", "booked_course_id", "courses", SetNull))
                .foreign_key(&mut fk("makeup_credits", "marked_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        for (table, column) in [("makeup_credits", "student_id"), ("makeup_credits", "booked_course_id")] {
            m.create_index(
                Index::create().name(format!("ix_{table}_{column}")).table(table).col(column).if_not_exists().to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["makeup_credits", "absence_notices"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
