//! Teachers' pay rates (issue #34, payroll): set per teacher by the office,
//! per lesson taught or per student who came to it, in kopecks. A teacher
//! without a row is paid nothing until the office sets one.
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
                .table("teacher_pay_rates")
                .if_not_exists()
                .col(integer("teacher_id").primary_key())
                .col(string_len("basis", 16))
                .col(big_integer("rate"))
                .col(integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("teacher_pay_rates", "teacher_id", "teachers", Cascade))
                .foreign_key(&mut fk("teacher_pay_rates", "updated_by", "users", SetNull))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("teacher_pay_rates").to_owned()).await
    }
}
