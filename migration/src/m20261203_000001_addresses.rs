//! Readable addresses: courses, shows and teachers get a slug each (filled
//! at start by the application, which knows the transliteration), and the
//! addresses they had answer on: a former slug leads to the record's
//! current one, or, once the record is gone, says so (410).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 3] = ["courses", "shows", "teachers"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            if !m.has_column(table, "slug").await? {
                m.alter_table(Table::alter().table(table).add_column(string_null("slug")).to_owned()).await?;
            }
            // Unique among the records that have one (NULLs never collide).
            m.create_index(
                Index::create().if_not_exists().name(format!("ux_{table}_slug")).table(table).col("slug").unique().to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("former_addresses")
                .if_not_exists()
                // "course", "show" or "teacher".
                .col(string("kind"))
                .col(string("slug"))
                // The record that had it; NULL once the record is gone.
                .col(integer_null("record_id"))
                .col(timestamp_with_time_zone("retired_at"))
                .primary_key(Index::create().col("kind").col("slug"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("former_addresses").to_owned()).await?;
        for table in TABLES {
            m.drop_index(Index::drop().name(format!("ux_{table}_slug")).table(table).to_owned()).await?;
            m.alter_table(Table::alter().table(table).drop_column("slug").to_owned()).await?;
        }
        Ok(())
    }
}
