use sea_orm::entity::prelude::*;

/// A file someone uploaded; the bytes live in storage under `storage_key`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub owner_id: i32,
    /// photo | video
    pub kind: String,
    /// Sniffed from the bytes, never taken from the client.
    pub mime: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
