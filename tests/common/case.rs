//! The case model every catalogue shares: the scalar catalogue
//! ([`super::catalogue`]), the struct catalogue ([`super::struct_catalogue`]), the
//! cross harness ([`super::cross`]) and the cases the cross tests add.

use springboard::{Signature, Value};

/// One call: what is called, with what, and what comes back.
#[derive(Clone, Debug)]
pub struct Case {
    /// Unique name within its catalogue, a valid C identifier fragment (`[a-z0-9_]`).
    pub name: String,
    /// The callee's signature, in the `c` convention (callers re-target it).
    pub signature: Signature,
    /// One value per parameter, of the parameter's type.
    pub args: Vec<Value>,
    /// The value the callee returns (`Value::Void` for `void`).
    pub result: Value,
}
