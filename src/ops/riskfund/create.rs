//! CreateProgram: a county program's book and its rules: leverage ratio
//! (1:7 to 1:10), loss split, claim threshold, suspension threshold, age
//! limit and its cooperating bank (an administrator's call).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::BookKind;
use crate::domain::riskfund::ProgramRules;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, PlannedBook, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{json, keys, ProgramProfile};
use crate::wire::decode;

pub struct CreateProgram {
    program_id: String,
    name: String,
    rules: ProgramRules,
}

impl Operation for CreateProgram {
    operation_io!(pb::CreateProgramRequest => pb::ProgramResponse, "riskfund.create");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            name: decode::name("name", &r.name, true)?,
            rules: decode::program_rules(r.rules.as_ref())?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let id = &self.program_id;
        if state.book(id).is_some() {
            return Err(taken("program_id", format!("book {id:?} already exists")));
        }
        let profile = ProgramProfile {
            program_id: id.clone(),
            name: self.name.clone(),
            rules: self.rules.clone(),
        };
        Ok(Plan {
            books: vec![PlannedBook {
                book_id: id.clone(),
                kind: BookKind::Program,
                name: self.name.clone(),
            }],
            records: vec![json(keys::program(id), &profile)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::program_response(ledger, &self.program_id, done)
    }
}
