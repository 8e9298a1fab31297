//! Counters of attempts (sign-ins, letters, registrations) per source, kept
//! in the database so that every app process behind one proxy sees the same
//! counts. Times are Unix milliseconds: the upsert that counts compares them
//! in SQL, the same way on SQLite and PostgreSQL.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rate_limits")
                .if_not_exists()
                // What is counted and whose: `login-ip:203.0.113.7` …
                .col(string_len("bucket", 400).primary_key())
                .col(integer("hits"))
                .col(big_integer("window_started_ms"))
                .col(big_integer("last_hit_ms"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rate_limits").to_owned()).await
    }
}
