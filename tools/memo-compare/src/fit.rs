//! Compile-and-run checks of how each mechanism takes the values annals
//! would memoize: `Arc`s, and Tera's `Value` (which is `Eq` in tera 2 but not
//! `Hash`).

use std::sync::Arc;

use salsa::Setter as _;

/// A template context, as annals builds for a page.
fn context(title: &str) -> tera::Value {
    let mut map = tera::Map::new();
    map.insert("title".into(), tera::Value::from(title));
    tera::Value::from(map)
}

// comemo: a result needs only `Clone + 'static`, so `tera::Value` works. As
// an argument, or as the result of a tracked method, it would need `Hash`,
// which it lacks.
#[comemo::memoize]
fn comemo_context(title: &str) -> Arc<tera::Value> {
    Arc::new(context(title))
}

#[salsa::input]
struct Title {
    #[returns(ref)]
    text: String,
}

// salsa: a result needs `Eq` (to backdate: an equal new value does not
// invalidate its readers) unless `no_eq`, and salsa's `Update`.
#[salsa::tracked(returns(clone))]
fn salsa_context(db: &dyn salsa::Database, title: Title) -> Arc<tera::Value> {
    Arc::new(context(title.text(db)))
}

#[salsa::tracked(returns(clone), no_eq)]
fn salsa_context_no_eq(db: &dyn salsa::Database, title: Title) -> Arc<tera::Value> {
    Arc::new(context(title.text(db)))
}

#[test]
fn comemo_memoizes_a_tera_value() {
    let first = comemo_context("Moon landing");
    assert!(Arc::ptr_eq(&first, &comemo_context("Moon landing")));
}

#[test]
fn salsa_memoizes_a_tera_value_with_and_without_eq() {
    let mut db = salsa::DatabaseImpl::new();
    let title = Title::new(&db, "Moon landing".to_owned());
    let first = salsa_context(&db, title);
    assert!(Arc::ptr_eq(&first, &salsa_context(&db, title)));
    assert!(Arc::ptr_eq(
        &salsa_context_no_eq(&db, title),
        &salsa_context_no_eq(&db, title)
    ));
    title.set_text(&mut db).to("Apollo 11".to_owned());
    assert_eq!(*salsa_context(&db, title), context("Apollo 11"));
}
