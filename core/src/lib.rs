//! timadmin: a Tencent Cloud Chat (IM) server-side REST API client.
pub mod usersig;
