//! Passes (issue #33): prices, passes sold to students, and their ledger.
//!
//! Money is whole kopecks (`BIGINT`). A pass keeps a copy of what was sold
//! (name, lessons, price), so a pass type changed later changes no sold
//! pass. `pass_entries` is the pass's ledger, appended to and never edited:
//! the sale (+lessons), each lesson written off (−1, naming the attendance
//! mark), each return of a changed mark (+1) and each freeze (0 lessons, its
//! days). `passes.lessons_left` is the sum of its entries, kept beside them
//! in the same transaction so that choosing a pass needs no sum.
//!
//! An attendance mark names what it was charged to: a pass
//! (`charged_pass_id`), or a lesson on credit (`on_credit`) that the next
//! pass of the course pays first.
use crate::foreign_keys::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn added_columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        ("attendance", "charged_pass_id", integer_null("charged_pass_id")),
        ("attendance", "on_credit", boolean("on_credit").default(false).to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        for (table, column, mut def) in added_columns() {
            if !m.has_column(table, column).await? {
                m.alter_table(Table::alter().table(table).add_column(&mut def).to_owned()).await?;
            }
        }
        m.create_table(
            Table::create()
                .table("course_prices")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("course_id"))
                .col(string_len("format", 16))
                .col(big_integer("lesson_price"))
                .col(big_integer("trial_price"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("course_prices", "course_id", "courses", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("pass_types")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("course_id"))
                .col(string_len("format", 16))
                .col(string_len("name", 100))
                .col(integer("lessons"))
                .col(integer("valid_days"))
                .col(big_integer("price"))
                .col(boolean("on_sale").default(true))
                // The form's key: a double click puts one pass type on sale.
                .col(string_len_null("idempotency_key", 64).unique_key())
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("pass_types", "course_id", "courses", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("passes")
                .if_not_exists()
                .col(pk_auto("id"))
                // The books outlive an account or a course: the pass stays, unnamed.
                .col(integer_null("student_id"))
                .col(integer_null("course_id"))
                .col(integer_null("pass_type_id"))
                .col(string_len("format", 16))
                .col(string_len("name", 100))
                .col(integer("lessons_bought"))
                .col(big_integer("price"))
                .col(date("valid_from"))
                .col(date("valid_until"))
                .col(integer("lessons_left"))
                .col(integer_null("requested_by"))
                .col(integer_null("sold_by"))
                .col(timestamp_with_time_zone_null("sold_at"))
                // The sale form's key: the same form sent twice sells one pass.
                .col(string_len_null("idempotency_key", 64).unique_key())
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("passes", "student_id", "users", SetNull))
                .foreign_key(&mut fk("passes", "course_id", "courses", SetNull))
                .foreign_key(&mut fk("passes", "pass_type_id", "pass_types", SetNull))
                .foreign_key(&mut fk("passes", "requested_by", "users", SetNull))
                .foreign_key(&mut fk("passes", "sold_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("pass_entries")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("pass_id"))
                .col(string_len("kind", 16))
                .col(integer("lessons"))
                .col(integer_null("attendance_id"))
                .col(date_null("lesson_date"))
                .col(date_null("freeze_from"))
                .col(date_null("freeze_until"))
                .col(string_len_null("reason", 200))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("pass_entries", "pass_id", "passes", Cascade))
                .foreign_key(&mut fk("pass_entries", "created_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_course_prices_course_format")
                .table("course_prices")
                .col("course_id")
                .col("format")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("pass_types", "course_id"),
            ("passes", "student_id"),
            ("passes", "course_id"),
            ("pass_entries", "pass_id"),
            ("pass_entries", "attendance_id"),
        ] {
            m.create_index(
                Index::create().name(format!("ix_{table}_{column}")).table(table).col(column).if_not_exists().to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["pass_entries", "passes", "pass_types", "course_prices"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        for (table, column, _) in added_columns() {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
