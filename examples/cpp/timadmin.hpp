// RAII wrappers over the libtimadmin C ABI (C++17, header-only): every C object is owned by a
// std::unique_ptr with its _free function as deleter, failures become timadmin::Error
// exceptions, and results are copied into std::string / std::vector.
#ifndef TIMADMIN_HPP
#define TIMADMIN_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <timadmin.h>

namespace timadmin {

// A failed call: the status, the service's ErrorCode/ErrorInfo (service errors), the field at
// fault (invalid arguments), and the library's message.
class Error : public std::runtime_error {
public:
    Error(timadmin_status status, const timadmin_error *err)
        : std::runtime_error(err ? timadmin_error_message(err) : timadmin_status_description(status)),
          status_(status),
          service_code_(timadmin_error_service_code(err)),
          service_info_(err ? timadmin_error_service_info(err) : ""),
          field_(err ? timadmin_error_field(err) : "") {}

    timadmin_status status() const noexcept { return status_; }
    std::int64_t service_code() const noexcept { return service_code_; }
    const std::string &service_info() const noexcept { return service_info_; }
    const std::string &field() const noexcept { return field_; }

private:
    timadmin_status status_;
    std::int64_t service_code_;
    std::string service_info_;
    std::string field_;
};

namespace detail {
template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using ErrorPtr = Owned<timadmin_error, timadmin_error_free>;

// Runs a C call that reports through an error out-parameter; throws on failure.
template <typename F>
void call(F &&f) {
    timadmin_error *raw = nullptr;
    timadmin_status status = f(&raw);
    ErrorPtr err(raw);
    if (status != TIMADMIN_STATUS_OK) {
        throw Error(status, err.get());
    }
}

inline std::string str(const char *s) { return s ? std::string(s) : std::string(); }
inline std::optional<std::string> opt(const char *s) {
    return s ? std::optional<std::string>(s) : std::nullopt;
}
}  // namespace detail

// One member, copied out of the library's memory.
struct Member {
    std::string member_account;
    std::optional<std::string> role;
    timadmin_role role_kind = TIMADMIN_ROLE_UNSET;
    std::optional<std::uint64_t> join_time;
    std::optional<std::uint64_t> mute_until;
    std::optional<std::string> name_card;
    std::vector<std::pair<std::string, std::string>> app_member_defined_data;

    static Member from(const timadmin_group_member &m) {
        Member out;
        out.member_account = detail::str(m.member_account);
        out.role = detail::opt(m.role);
        out.role_kind = m.role_kind;
        if (m.has_join_time) out.join_time = m.join_time;
        if (m.has_mute_until) out.mute_until = m.mute_until;
        out.name_card = detail::opt(m.name_card);
        for (std::size_t i = 0; i < m.app_member_defined_data_len; i++) {
            out.app_member_defined_data.emplace_back(detail::str(m.app_member_defined_data[i].key),
                                                     detail::str(m.app_member_defined_data[i].value));
        }
        return out;
    }
};

struct MutedAccount {
    std::string member_account;
    std::uint64_t muted_until = 0;
};

// A UserSig made by generate_usersig; wiped by the library when destroyed.
inline std::string generate_usersig(std::uint64_t sdkappid, const std::string &key, const std::string &identifier,
                                    std::uint64_t expire_secs) {
    timadmin_string *raw = nullptr;
    detail::call([&](timadmin_error **e) {
        return timadmin_generate_usersig(sdkappid, key.c_str(), identifier.c_str(), expire_secs, nullptr, 0, &raw,
                                         e);
    });
    detail::Owned<timadmin_string, timadmin_string_free> sig(raw);
    return std::string(timadmin_string_get(sig.get()), timadmin_string_len(sig.get()));
}

// The identifier of a verified UserSig and when it expires; throws when it does not verify.
inline std::pair<std::string, std::uint64_t> verify_usersig(std::uint64_t sdkappid, const std::string &key,
                                                            const std::string &identifier,
                                                            const std::string &usersig) {
    timadmin_claims *raw = nullptr;
    detail::call([&](timadmin_error **e) {
        return timadmin_verify_usersig(sdkappid, key.c_str(), identifier.c_str(), usersig.c_str(), nullptr, 0, &raw,
                                       e);
    });
    detail::Owned<timadmin_claims, timadmin_claims_free> claims(raw);
    const timadmin_claims *c = claims.get();
    return {detail::str(c->identifier), c->expires_at};
}

// A pager over a whole group: call next_page() until it returns std::nullopt.
class Pager {
public:
    explicit Pager(timadmin_member_pager *p) : pager_(p) {}

    std::optional<std::vector<Member>> next_page() {
        timadmin_member_page *raw = nullptr;
        detail::call([&](timadmin_error **e) { return timadmin_member_pager_next_page(pager_.get(), &raw, e); });
        if (raw == nullptr) {
            return std::nullopt;
        }
        detail::Owned<timadmin_member_page, timadmin_member_page_free> page(raw);
        const timadmin_member_page *p = page.get();
        std::vector<Member> members;
        members.reserve(p->members_len);
        for (std::size_t i = 0; i < p->members_len; i++) {
            members.push_back(Member::from(p->members[i]));
        }
        return members;
    }

    timadmin_paging_mode mode() const { return timadmin_member_pager_mode(pager_.get()); }
    std::uint64_t fetched() const { return timadmin_member_pager_fetched(pager_.get()); }

private:
    detail::Owned<timadmin_member_pager, timadmin_member_pager_free> pager_;
};

// The client. Thread-safe: share one instance (e.g. by reference) across threads.
class Client {
public:
    // From the TIM_* environment variables.
    static Client from_env() {
        timadmin_client *raw = nullptr;
        detail::call([&](timadmin_error **e) { return timadmin_client_new_from_env(&raw, e); });
        return Client(raw);
    }

    // From a timadmin_client_options struct (the caller's strings are copied).
    explicit Client(const timadmin_client_options &options) {
        timadmin_client *raw = nullptr;
        detail::call([&](timadmin_error **e) { return timadmin_client_new(&options, &raw, e); });
        client_.reset(raw);
    }

    std::uint64_t sdkappid() const { return timadmin_client_sdkappid(client_.get()); }

    // One get_group_member_info call with Limit (and Next "" for communities).
    std::vector<Member> get_group_member_info(const std::string &group_id, std::optional<std::uint32_t> limit = {}) {
        timadmin_get_group_member_info_request req{};
        req.group_id = group_id.c_str();
        if (limit) {
            req.has_limit = true;
            req.limit = *limit;
        }
        timadmin_get_group_member_info_response *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_client_get_group_member_info(client_.get(), &req, &raw, e);
        });
        detail::Owned<timadmin_get_group_member_info_response, timadmin_get_group_member_info_response_free> response(
            raw);
        const timadmin_get_group_member_info_response *r = response.get();
        std::vector<Member> out;
        for (std::size_t i = 0; i < r->member_list_len; i++) {
            out.push_back(Member::from(r->member_list[i]));
        }
        return out;
    }

    std::vector<MutedAccount> get_group_muted_account(const std::string &group_id) {
        timadmin_get_group_muted_account_request req{};
        req.group_id = group_id.c_str();
        timadmin_get_group_muted_account_response *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_client_get_group_muted_account(client_.get(), &req, &raw, e);
        });
        detail::Owned<timadmin_get_group_muted_account_response, timadmin_get_group_muted_account_response_free> response(
            raw);
        const timadmin_get_group_muted_account_response *r = response.get();
        std::vector<MutedAccount> out;
        for (std::size_t i = 0; i < r->muted_account_list_len; i++) {
            out.push_back({detail::str(r->muted_account_list[i].member_account), r->muted_account_list[i].muted_until});
        }
        return out;
    }

    // modify_group_base_info with the fields of the raw request (group_id is set here).
    void modify_group_base_info(const std::string &group_id, timadmin_modify_group_base_info_request req) {
        req.group_id = group_id.c_str();
        detail::call([&](timadmin_error **e) { return timadmin_client_modify_group_base_info(client_.get(), &req, e); });
    }

    // Calls `visit` for every member of the group; `visit` returns false to stop. An exception
    // thrown by `visit` is carried across the C library and rethrown here.
    void for_each_member(const std::string &group_id, const std::function<bool(const Member &)> &visit) {
        struct Ctx {
            const std::function<bool(const Member &)> *visit;
            std::exception_ptr error;
        } ctx{&visit, nullptr};
        auto trampoline = [](void *userdata, const timadmin_group_member *m) -> bool {
            auto *c = static_cast<Ctx *>(userdata);
            try {
                return (*c->visit)(Member::from(*m));
            } catch (...) {  // never let an exception unwind through the C library
                c->error = std::current_exception();
                return false;
            }
        };
        detail::call([&](timadmin_error **e) {
            return timadmin_client_for_each_member(client_.get(), group_id.c_str(), nullptr, trampoline, &ctx, e);
        });
        if (ctx.error) {
            std::rethrow_exception(ctx.error);
        }
    }

    Pager members(const std::string &group_id) {
        timadmin_member_pager *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_client_members(client_.get(), group_id.c_str(), nullptr, &raw, e);
        });
        return Pager(raw);
    }

private:
    explicit Client(timadmin_client *raw) : client_(raw) {}
    detail::Owned<timadmin_client, timadmin_client_free> client_;
};

}  // namespace timadmin

#endif
