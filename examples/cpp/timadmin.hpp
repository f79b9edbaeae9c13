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

// A failed call: the status, the service's ErrorCode/ErrorInfo (API errors), the field at
// fault (invalid arguments), and the library's message.
class Error : public std::runtime_error {
public:
    Error(timadmin_status status, const timadmin_error *err)
        : std::runtime_error(err ? timadmin_error_message(err) : timadmin_status_description(status)),
          status_(status),
          api_code_(timadmin_error_api_code(err)),
          api_info_(err ? timadmin_error_api_info(err) : ""),
          field_(err ? timadmin_error_field(err) : "") {}

    timadmin_status status() const noexcept { return status_; }
    std::int64_t api_code() const noexcept { return api_code_; }
    const std::string &api_info() const noexcept { return api_info_; }
    const std::string &field() const noexcept { return field_; }

private:
    timadmin_status status_;
    std::int64_t api_code_;
    std::string api_info_;
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
    timadmin_role role = TIMADMIN_ROLE_UNSET;  // core's Role; the text of OTHER in role_other
    std::optional<std::string> role_other;
    std::optional<std::uint64_t> join_time;
    std::optional<std::uint64_t> mute_until;
    std::optional<std::string> name_card;
    std::vector<std::pair<std::string, std::string>> app_member_defined_data;

    static Member from(const timadmin_group_member &m) {
        Member out;
        out.member_account = detail::str(m.member_account);
        out.role = m.role;
        out.role_other = detail::opt(m.role_other);
        if (m.has_join_time) out.join_time = m.join_time;
        if (m.has_mute_until) out.mute_until = m.mute_until;
        out.name_card = detail::opt(m.name_card);
        for (std::size_t i = 0; i < m.app_member_defined_data_len; i++) {
            out.app_member_defined_data.emplace_back(detail::str(m.app_member_defined_data[i].key),
                                                     detail::str(m.app_member_defined_data[i].value));
        }
        return out;
    }

    // The REST spelling of the role ("Owner", ...), or std::nullopt when not returned.
    std::optional<std::string> role_name() const {
        if (role == TIMADMIN_ROLE_OTHER) return role_other;
        return detail::opt(timadmin_role_as_str(role));
    }
};

struct MutedAccount {
    std::string member_account;
    std::uint64_t muted_until = 0;
};

// A UserSig made by generate_usersig; wiped by the library when destroyed.
inline std::string generate_usersig(std::uint64_t sdkappid, const std::string &secret_key,
                                    const std::string &identifier, std::uint64_t expire) {
    timadmin_string *raw = nullptr;
    detail::call([&](timadmin_error **e) {
        return timadmin_generate_usersig(sdkappid, secret_key.c_str(), identifier.c_str(), expire, nullptr, 0, &raw,
                                         e);
    });
    detail::Owned<timadmin_string, timadmin_string_free> sig(raw);
    return std::string(timadmin_string_get(sig.get()), timadmin_string_len(sig.get()));
}

// The identifier of a verified UserSig and when it expires; throws when it does not verify.
inline std::pair<std::string, std::uint64_t> verify_usersig(std::uint64_t sdkappid, const std::string &secret_key,
                                                            const std::string &identifier,
                                                            const std::string &usersig) {
    timadmin_claims *raw = nullptr;
    detail::call([&](timadmin_error **e) {
        return timadmin_verify_usersig(sdkappid, secret_key.c_str(), identifier.c_str(), usersig.c_str(), nullptr, 0, &raw,
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

// The client's settings (core: ClientOptions), owning a timadmin_client_options object. Each
// setter copies its value and returns *this, so calls chain; values are checked when a Client
// is built from it (a timadmin::Error names the setting at fault).
class ClientOptions {
public:
    ClientOptions() : options_(timadmin_client_options_new()) {}

    ClientOptions &sdkappid(std::uint64_t v) { return set(timadmin_client_options_set_sdkappid, v); }
    ClientOptions &secret_key(const std::string &v) { return set(timadmin_client_options_set_secret_key, v.c_str()); }
    ClientOptions &usersig(const std::string &v) { return set(timadmin_client_options_set_usersig, v.c_str()); }
    ClientOptions &usersig_provider(timadmin_usersig_provider_callback callback, void *userdata) {
        detail::call([&](timadmin_error **e) {
            return timadmin_client_options_set_usersig_provider(options_.get(), callback, userdata, e);
        });
        return *this;
    }
    ClientOptions &identifier(const std::string &v) { return set(timadmin_client_options_set_identifier, v.c_str()); }
    ClientOptions &region(const std::string &v) { return set(timadmin_client_options_set_region, v.c_str()); }
    ClientOptions &base_url(const std::string &v) { return set(timadmin_client_options_set_base_url, v.c_str()); }
    ClientOptions &timeout(double seconds) { return set(timadmin_client_options_set_timeout, seconds); }
    ClientOptions &max_retries(std::uint32_t v) { return set(timadmin_client_options_set_max_retries, v); }
    ClientOptions &rate_limit(double per_second) { return set(timadmin_client_options_set_rate_limit, per_second); }
    ClientOptions &rate_limit_off() {
        detail::call([&](timadmin_error **e) { return timadmin_client_options_set_rate_limit_off(options_.get(), e); });
        return *this;
    }
    ClientOptions &usersig_lifetime(double seconds) {
        return set(timadmin_client_options_set_usersig_lifetime, seconds);
    }
    ClientOptions &max_response_bytes(std::uint64_t v) {
        return set(timadmin_client_options_set_max_response_bytes, v);
    }
    ClientOptions &allow_insecure_http(bool v) { return set(timadmin_client_options_set_allow_insecure_http, v); }
    ClientOptions &max_in_flight(std::uint32_t v) { return set(timadmin_client_options_set_max_in_flight, v); }
    ClientOptions &rate_limit_redis_url(const std::string &v) {
        return set(timadmin_client_options_set_rate_limit_redis_url, v.c_str());
    }
    ClientOptions &fleet_size(std::uint32_t v) { return set(timadmin_client_options_set_fleet_size, v); }
    ClientOptions &redis_fallback(timadmin_redis_fallback v) {
        return set(timadmin_client_options_set_redis_fallback, static_cast<int>(v));
    }

    const timadmin_client_options *get() const noexcept { return options_.get(); }

private:
    template <typename Setter, typename T>
    ClientOptions &set(Setter setter, T value) {
        detail::call([&](timadmin_error **e) { return setter(options_.get(), value, e); });
        return *this;
    }
    detail::Owned<timadmin_client_options, timadmin_client_options_free> options_;
};

// The client. Thread-safe: share one instance (e.g. by reference) across threads.
// A modify_group_base_info change (core: ModifyGroupBaseInfoRequest), owning the opaque C
// request: only the fields set are changed.
class ModifyGroupBaseInfoRequest {
public:
    explicit ModifyGroupBaseInfoRequest(const std::string &group_id) {
        timadmin_modify_group_base_info_request *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_modify_group_base_info_request_new(group_id.c_str(), &raw, e);
        });
        request_.reset(raw);
    }

    ModifyGroupBaseInfoRequest &name(const std::string &v) {
        return set(timadmin_modify_group_base_info_request_set_name, v.c_str());
    }
    ModifyGroupBaseInfoRequest &introduction(const std::string &v) {
        return set(timadmin_modify_group_base_info_request_set_introduction, v.c_str());
    }
    ModifyGroupBaseInfoRequest &notification(const std::string &v) {
        return set(timadmin_modify_group_base_info_request_set_notification, v.c_str());
    }
    ModifyGroupBaseInfoRequest &face_url(const std::string &v) {
        return set(timadmin_modify_group_base_info_request_set_face_url, v.c_str());
    }
    ModifyGroupBaseInfoRequest &max_member_num(std::uint32_t v) {
        return set(timadmin_modify_group_base_info_request_set_max_member_num, v);
    }
    ModifyGroupBaseInfoRequest &apply_join_option(timadmin_apply_join_option v) {
        return set(timadmin_modify_group_base_info_request_set_apply_join_option, static_cast<int>(v));
    }
    ModifyGroupBaseInfoRequest &shut_up_all_member(bool v) {
        return set(timadmin_modify_group_base_info_request_set_shut_up_all_member, v);
    }
    // Sets the custom-data `key` to `value`, or deletes it when `value` is empty (std::nullopt).
    ModifyGroupBaseInfoRequest &app_defined_data(const std::string &key, const std::optional<std::string> &value) {
        detail::call([&](timadmin_error **e) {
            return timadmin_modify_group_base_info_request_add_app_defined_data(
                request_.get(), key.c_str(), value ? value->c_str() : nullptr, e);
        });
        return *this;
    }

    const timadmin_modify_group_base_info_request *get() const noexcept { return request_.get(); }

private:
    template <typename Setter, typename T>
    ModifyGroupBaseInfoRequest &set(Setter setter, T value) {
        detail::call([&](timadmin_error **e) { return setter(request_.get(), value, e); });
        return *this;
    }
    detail::Owned<timadmin_modify_group_base_info_request, timadmin_modify_group_base_info_request_free> request_;
};

class Client {
public:
    // From the TIM_* environment variables.
    static Client from_env() {
        timadmin_client *raw = nullptr;
        detail::call([&](timadmin_error **e) { return timadmin_client_new_from_env(&raw, e); });
        return Client(raw);
    }

    // From options (only read: they may build more clients).
    explicit Client(const ClientOptions &options) {
        timadmin_client *raw = nullptr;
        detail::call([&](timadmin_error **e) { return timadmin_client_new(options.get(), &raw, e); });
        client_.reset(raw);
    }

    std::uint64_t sdkappid() const { return timadmin_client_sdkappid(client_.get()); }

    // One get_group_member_info call with Limit (and Next "" for communities).
    std::vector<Member> get_group_member_info(const std::string &group_id, std::optional<std::uint32_t> limit = {}) {
        timadmin_get_group_member_info_request *raw_req = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_get_group_member_info_request_new(group_id.c_str(), &raw_req, e);
        });
        detail::Owned<timadmin_get_group_member_info_request, timadmin_get_group_member_info_request_free> req(raw_req);
        if (limit) {
            detail::call([&](timadmin_error **e) {
                return timadmin_get_group_member_info_request_set_limit(req.get(), *limit, e);
            });
        }
        timadmin_get_group_member_info_response *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_client_get_group_member_info(client_.get(), req.get(), &raw, e);
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
        timadmin_get_group_muted_account_request *raw_req = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_get_group_muted_account_request_new(group_id.c_str(), &raw_req, e);
        });
        detail::Owned<timadmin_get_group_muted_account_request, timadmin_get_group_muted_account_request_free> req(
            raw_req);
        timadmin_get_group_muted_account_response *raw = nullptr;
        detail::call([&](timadmin_error **e) {
            return timadmin_client_get_group_muted_account(client_.get(), req.get(), &raw, e);
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

    // modify_group_base_info: changes the fields `request` sets.
    void modify_group_base_info(const ModifyGroupBaseInfoRequest &request) {
        detail::call([&](timadmin_error **e) {
            return timadmin_client_modify_group_base_info(client_.get(), request.get(), e);
        });
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
