//! Families (issue #32): guardians who act for the children they added.
//!
//! A child is a person of the school like any student (`users`, so bookings,
//! history, reviews and the portfolio work for them unchanged) with a birth
//! date; a child without a login of their own has a reserved address under
//! `.invalid` (RFC 2606: nothing is ever delivered there) and no password.
//! A family holds guardians and children; each person is in at most one
//! family as a guardian and one as a child. The guardian's consent to process
//! the child's data (152-ФЗ) is kept per child with the version of the policy
//! agreed to; consent to publish photos of the child is separate.
//!
//! Courses gain an age range (`age_min`..=`age_max` full years, either open).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// (table, column, definition) added to tables that exist.
fn added_columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        ("users", "birth_date", date_null("birth_date")),
        ("courses", "age_min", small_integer_null("age_min")),
        ("courses", "age_max", small_integer_null("age_max")),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        // One column per statement: SQLite alters one thing at a time.
        for (table, column, mut def) in added_columns() {
            if !m.has_column(table, column).await? {
                m.alter_table(Table::alter().table(table).add_column(&mut def).to_owned()).await?;
            }
        }
        m.create_table(
            Table::create()
                .table("families")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("family_guardians")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("family_id"))
                .col(integer_uniq("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("family_guardians", "family_id", "families", Cascade))
                .foreign_key(&mut fk("family_guardians", "user_id", "users", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("family_children")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("family_id"))
                .col(integer_uniq("child_id"))
                .col(text_null("teacher_notes"))
                .col(timestamp_with_time_zone("consented_at"))
                .col(integer_null("consented_by"))
                .col(string_len("policy_version", 16))
                .col(timestamp_with_time_zone_null("photos_consented_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("family_children", "family_id", "families", Cascade))
                .foreign_key(&mut fk("family_children", "child_id", "users", Cascade))
                .foreign_key(&mut fk("family_children", "consented_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        for (table, column) in [("family_guardians", "family_id"), ("family_children", "family_id")] {
            m.create_index(
                Index::create().name(format!("ix_{table}_{column}")).table(table).col(column).if_not_exists().to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["family_children", "family_guardians", "families"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        for (table, column, _) in added_columns() {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
