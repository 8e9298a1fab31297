//! A lesson on credit in the money books (issue #34): the charge of a
//! lesson attended with no pass names its attendance mark, so that the
//! correction which undoes it — when a pass pays the lesson, or the mark
//! changes — finds exactly that charge.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("money_entries").add_column(integer_null("attendance_id")).to_owned()).await?;
        m.create_index(Index::create().name("ix_money_entries_attendance").table("money_entries").col("attendance_id").if_not_exists().to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_money_entries_attendance").table("money_entries").to_owned()).await?;
        m.alter_table(Table::alter().table("money_entries").drop_column("attendance_id").to_owned()).await
    }
}
