//! The parse stage: the text of each loaded file becomes values — events,
//! pages, the intro, translations — with their dates read and their
//! Markdown rendered. Pure: it reads nothing from the disk and knows
//! nothing of the other files (the model stage checks files against each
//! other).

pub mod event;
pub mod frontmatter;
pub mod markdown;
pub mod media;
pub mod page;
pub mod translation;
