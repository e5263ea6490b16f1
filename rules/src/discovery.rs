//! Rules of the `discovery` group.

pub mod undeclared_personal_data;
pub mod unknown_category;
pub mod unused_declaration;
