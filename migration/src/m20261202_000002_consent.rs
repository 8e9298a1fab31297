//! When a person agreed to the processing of their personal data (152-ФЗ):
//! asked at registration, kept with the account. Accounts made before the
//! question existed (and staff, whom the office adds) have none.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !m.has_column("users", "consented_at").await? {
            m.alter_table(
                Table::alter().table("users").add_column(timestamp_with_time_zone_null("consented_at")).to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").drop_column("consented_at").to_owned()).await
    }
}
