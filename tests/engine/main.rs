//! Behaviour tests of the engine, through its public API only: one test
//! binary (one link), a module per area, tests named as sentences.

mod support;

mod broker_in_time;
mod cleaner;
mod config;
mod golden;
mod kafka_case_scripts;
mod kafka_cases;
mod kafka_oracle;
mod kafka_txn_cases;
mod limits;
mod log;
mod log_files;
mod partitioner;
mod properties;
mod random_scripts;
mod scenarios;
mod transactions;
mod txn_properties;
