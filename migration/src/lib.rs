//! Schema of the school. Migrations run at server start (`Migrator::up`), are
//! idempotent, and are exercised on SQLite and PostgreSQL by the test suite.
pub use sea_orm_migration::prelude::*;

mod foreign_keys;
mod m20261129_000001_school;
mod m20261130_000001_enrollment_office;
mod m20261201_000001_reminders;
mod m20261201_000002_staff_mfa;
mod m20261202_000001_rate_limits;
mod m20261202_000002_consent;
mod m20261203_000001_addresses;
mod m20261203_000002_catalogue_version;
mod m20261207_000001_families;
mod m20261208_000001_passes;
mod m20261208_000002_makeups;
mod m20261209_000001_money;
mod m20261210_000001_payroll;
mod m20261210_000002_lesson_charges;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_school::Migration),
            Box::new(m20261130_000001_enrollment_office::Migration),
            Box::new(m20261201_000001_reminders::Migration),
            Box::new(m20261201_000002_staff_mfa::Migration),
            Box::new(m20261202_000001_rate_limits::Migration),
            Box::new(m20261202_000002_consent::Migration),
            Box::new(m20261203_000001_addresses::Migration),
            Box::new(m20261203_000002_catalogue_version::Migration),
            Box::new(m20261207_000001_families::Migration),
            Box::new(m20261208_000001_passes::Migration),
            Box::new(m20261208_000002_makeups::Migration),
            Box::new(m20261209_000001_money::Migration),
            Box::new(m20261210_000001_payroll::Migration),
            Box::new(m20261210_000002_lesson_charges::Migration),
        ]
    }
}
