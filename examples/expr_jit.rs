//! A tiny expression language compiled by cranelift-jit into a `JITModule` that calls C
//! through `springboard::module`: libm's `pow`, libc's `div` (a struct result), `qsort`
//! with a comparator written in the language (a C-callable function), and a function
//! taking a `{f64, f64}` by value. Run it with `cargo run --example expr_jit`.
//!
//! Programs are s-expressions of f64 values: `(def NAME (PARAMS) BODY)` defines a
//! function `(f64, ...) -> f64`; `(cmp NAME (A B) BODY)` a comparator `(ptr, ptr) ->
//! i32` whose parameters are the f64s the pointers point at. Operators: `+ - * / < >`,
//! `(pow X Y)`, `(quot X Y)` and `(rem X Y)` (libc `div` of the integer parts),
//! `(norm X Y)` (`norm({X, Y})`, the struct by value) and `(sort CMP)` (sorts the
//! example's array with `qsort` and CMP; gives the number of elements).

use cranelift_codegen::ir::{condcodes::FloatCC, types, InstBuilder, MemFlagsData as Flags};
use cranelift_codegen::ir::{StackSlotData, StackSlotKind, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Linkage, Module};
use springboard::module::{c_signature, call_c, jit_builder, CCallee, CEntry};
use springboard::{Signature, Type};
use std::collections::HashMap;

const PROGRAM: &str = "
    (def power () (pow 2 10))
    (def quotient () (quot 17 5))
    (def remainder () (rem 17 5))
    (def length () (norm 3 4))
    (def hypotenuse (a b) (norm a b))
    (cmp descending (a b) (- (< a b) (> a b)))
    (def sorted () (sort descending))
";

#[repr(C)]
struct Point {
    x: f64,
    y: f64,
}

extern "C" {
    /// libm's `pow`, named so that the process links libm.
    fn pow(x: f64, y: f64) -> f64;
}

/// The `{f64, f64}` by-value function the language calls.
extern "C" fn norm(p: Point) -> f64 {
    (p.x * p.x + p.y * p.y).sqrt()
}

#[derive(Debug)]
/// An s-expression.
enum Sexp {
    Atom(String),
    List(Vec<Sexp>),
}

fn parse(tokens: &mut std::iter::Peekable<std::vec::IntoIter<String>>) -> Sexp {
    match tokens.next().as_deref() {
        Some("(") => {
            let mut items = Vec::new();
            while tokens.peek().map(String::as_str) != Some(")") {
                items.push(parse(tokens));
            }
            tokens.next();
            Sexp::List(items)
        }
        Some(atom) => Sexp::Atom(atom.to_string()),
        None => panic!("unexpected end of program"),
    }
}

fn atom(sexp: &Sexp) -> &str {
    match sexp {
        Sexp::Atom(name) => name,
        Sexp::List(_) => panic!("expected a name, found {sexp:?}"),
    }
}

/// The C functions the language calls, declared in the module, and its comparators.
struct Imports {
    functions: HashMap<&'static str, (FuncId, Signature)>,
    comparators: HashMap<String, FuncId>,
    array: *mut f64,
    len: usize,
}

struct Compiler<'a> {
    module: &'a mut JITModule,
    imports: &'a Imports,
    params: HashMap<String, Value>,
}

impl Compiler<'_> {
    /// A C call through springboard: the arguments and result as IR values.
    fn call(
        &mut self,
        b: &mut FunctionBuilder,
        name: &str,
        args: &[Value],
        place: Option<Value>,
    ) -> Option<Value> {
        let (id, signature) = &self.imports.functions[name];
        let callee = CCallee::Func(self.module.declare_func_in_func(*id, b.func));
        call_c(self.module, b, callee, signature, args, place).expect("a well-typed C call")
    }

    fn expr(&mut self, b: &mut FunctionBuilder, sexp: &Sexp) -> Value {
        let items = match sexp {
            Sexp::Atom(name) => {
                return match name.parse::<f64>() {
                    Ok(number) => b.ins().f64const(number),
                    Err(_) => self.params[name.as_str()],
                }
            }
            Sexp::List(items) => items,
        };
        let op = atom(&items[0]);
        if op == "sort" {
            let comparator = self.imports.comparators[atom(&items[1])];
            let comparator = self.module.declare_func_in_func(comparator, b.func);
            let comparator = b.ins().func_addr(types::I64, comparator);
            let base = b.ins().iconst(types::I64, self.imports.array as i64);
            let len = b.ins().iconst(types::I64, self.imports.len as i64);
            let size = b.ins().iconst(types::I64, 8);
            self.call(b, "qsort", &[base, len, size, comparator], None);
            return b.ins().f64const(self.imports.len as f64);
        }
        let args: Vec<Value> = items[1..].iter().map(|arg| self.expr(b, arg)).collect();
        match op {
            "+" => b.ins().fadd(args[0], args[1]),
            "-" => b.ins().fsub(args[0], args[1]),
            "*" => b.ins().fmul(args[0], args[1]),
            "/" => b.ins().fdiv(args[0], args[1]),
            "<" | ">" => {
                let cc = if op == "<" {
                    FloatCC::LessThan
                } else {
                    FloatCC::GreaterThan
                };
                let flag = b.ins().fcmp(cc, args[0], args[1]);
                let int = b.ins().uextend(types::I32, flag);
                b.ins().fcvt_from_uint(types::F64, int)
            }
            "pow" => self.call(b, "pow", &args, None).unwrap(),
            "quot" | "rem" => {
                // `div_t div(int, int)`: the struct result goes to a place in this frame.
                let ints: Vec<Value> = args
                    .iter()
                    .map(|&a| b.ins().fcvt_to_sint(types::I32, a))
                    .collect();
                let place = stack_bytes(b, 8);
                self.call(b, "div", &ints, Some(place));
                let field = b.ins().load(
                    types::I32,
                    Flags::trusted(),
                    place,
                    if op == "quot" { 0 } else { 4 },
                );
                b.ins().fcvt_from_sint(types::F64, field)
            }
            "norm" => {
                // A struct argument is a pointer to its bytes.
                let point = stack_bytes(b, 16);
                b.ins().store(Flags::trusted(), args[0], point, 0);
                b.ins().store(Flags::trusted(), args[1], point, 8);
                self.call(b, "norm", &[point], None).unwrap()
            }
            other => panic!("unknown operator `{other}`"),
        }
    }
}

fn stack_bytes(b: &mut FunctionBuilder, size: u32) -> Value {
    let slot = b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
    b.ins().stack_addr(types::I64, slot, 0)
}

/// Compiles one definition as a C-callable function of `signature`; a comparator's
/// pointer parameters are read as f64s and its f64 result becomes the `int` it returns.
fn define(
    module: &mut JITModule,
    imports: &Imports,
    id: FuncId,
    signature: &Signature,
    def: &[Sexp],
) {
    let comparator = atom(&def[0]) == "cmp";
    let mut context = module.make_context();
    context.func.signature = c_signature(module, signature).unwrap();
    let mut builder_context = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut context.func, &mut builder_context);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let incoming = b.block_params(block).to_vec();
    let entry = CEntry::new(module, &mut b, signature, &incoming).unwrap();
    let Sexp::List(names) = &def[2] else {
        panic!("expected parameters")
    };
    let params = names
        .iter()
        .zip(entry.params())
        .map(|(name, &value)| {
            let value = match comparator {
                true => b.ins().load(types::F64, Flags::trusted(), value, 0),
                false => value,
            };
            (atom(name).to_string(), value)
        })
        .collect();
    let mut compiler = Compiler {
        module,
        imports,
        params,
    };
    let result = compiler.expr(&mut b, &def[3]);
    let result = match comparator {
        true => b.ins().fcvt_to_sint(types::I32, result),
        false => result,
    };
    entry.return_(&mut b, Some(result)).unwrap();
    b.finalize(module.target_config());
    module.define_function(id, &mut context).unwrap();
}

fn main() -> Result<(), springboard::Error> {
    let mut jit = jit_builder()?;
    jit.symbol("norm", norm as *const u8);
    jit.symbol("pow", pow as *const u8);
    let mut module = JITModule::new(jit);
    let mut array = vec![3.5, -1.0, 10.25, 0.0, 7.0];
    let mut imports = Imports {
        functions: HashMap::new(),
        comparators: HashMap::new(),
        array: array.as_mut_ptr(),
        len: array.len(),
    };
    let c_functions = [
        ("pow", "(f64, f64) -> f64"),
        ("div", "(i32, i32) -> {i32, i32}"),
        ("qsort", "(ptr, usize, usize, ptr)"),
        ("norm", "({f64, f64}) -> f64"),
    ];
    for (name, signature) in c_functions {
        let signature: Signature = signature.parse()?;
        let id = module
            .declare_function(name, Linkage::Import, &c_signature(&module, &signature)?)
            .unwrap();
        imports.functions.insert(name, (id, signature));
    }

    let spaced = PROGRAM.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<String> = spaced.split_whitespace().map(str::to_string).collect();
    let mut tokens = tokens.into_iter().peekable();
    let mut defs = Vec::new();
    while tokens.peek().is_some() {
        let Sexp::List(def) = parse(&mut tokens) else {
            panic!("expected a definition")
        };
        let Sexp::List(params) = &def[2] else {
            panic!("expected parameters")
        };
        let signature: Signature = match atom(&def[0]) {
            "cmp" => "(ptr, ptr) -> i32".parse()?,
            _ => Signature::new(vec![Type::F64; params.len()], Type::F64),
        };
        let lowered = c_signature(&module, &signature)?;
        let id = module
            .declare_function(atom(&def[1]), Linkage::Local, &lowered)
            .unwrap();
        if atom(&def[0]) == "cmp" {
            imports.comparators.insert(atom(&def[1]).to_string(), id);
        }
        defs.push((id, signature, def));
    }
    for (id, signature, def) in &defs {
        define(&mut module, &imports, *id, signature, def);
    }
    module.finalize_definitions().unwrap();
    for (id, signature, def) in &defs {
        let code = module.get_finalized_function(*id);
        let name = atom(&def[1]);
        // SAFETY: each function was compiled with the C signature it is called with.
        match (atom(&def[0]), signature.params.len()) {
            ("def", 0) => {
                let f = unsafe { std::mem::transmute::<*const u8, extern "C" fn() -> f64>(code) };
                println!("{name} = {}", f());
            }
            ("def", 2) => {
                let f = unsafe {
                    std::mem::transmute::<*const u8, extern "C" fn(f64, f64) -> f64>(code)
                };
                println!("{name}(5, 12) = {}", f(5.0, 12.0));
            }
            _ => {}
        }
    }
    println!("array = {array:?}");
    Ok(())
}
