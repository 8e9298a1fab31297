//! Reminders sent, one row each: the unique key (kind, subject, occasion)
//! is what makes a reminder go out once, however many app processes look
//! for due reminders at the same moment and however often they restart.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sent_reminders")
                .if_not_exists()
                .col(pk_auto("id"))
                // session | digest
                .col(string_len("kind", 16))
                // The enrollment (session) or the teacher (digest).
                .col(integer("subject_id"))
                // The session's local start, or the digest's date.
                .col(string_len("occasion", 40))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_sent_reminders_once")
                .table("sent_reminders")
                .col("kind")
                .col("subject_id")
                .col("occasion")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sent_reminders").to_owned()).await
    }
}
