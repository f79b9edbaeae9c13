// C++ example over libtimadmin with RAII wrappers (timadmin.hpp). Reads TIM_SDKAPPID,
// TIM_SECRET_KEY, TIM_IDENTIFIER and TIM_BASE_URL (or TIM_REGION) from the environment.
// Against the emulator's demo fixture it also checks what it gets and exits non-zero on any
// mismatch, so CI runs it as a test.
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "timadmin.hpp"

namespace {
int failures = 0;
void expect(bool ok, const char *what) {
    if (!ok) {
        std::cerr << "FAILED: " << what << "\n";
        failures++;
    }
}
}  // namespace

int main() {
    try {
        timadmin::Client client = timadmin::Client::from_env();

        // One call.
        std::vector<timadmin::Member> members = client.get_group_member_info("@TGS#2DEMOPUB");
        std::cout << "@TGS#2DEMOPUB has " << members.size() << " members\n";
        expect(members.size() == 5, "five demo members");
        for (const auto &m : members) {
            std::cout << "  " << m.member_account << " " << m.role_name().value_or("-") << "\n";
            if (m.member_account == "bob") {
                expect(m.role == TIMADMIN_ROLE_OWNER, "bob owns the group");
                expect(m.app_member_defined_data.size() == 2, "bob has two custom fields");
            }
        }

        // Whole groups: by callback (stopping early once) and by pager.
        int seen = 0;
        client.for_each_member("@TGS#_demo", [&](const timadmin::Member &) { return ++seen < 3; });
        expect(seen == 3, "callback stopped after three members");
        std::set<std::string> everyone;
        client.for_each_member("@TGS#_demo", [&](const timadmin::Member &m) {
            everyone.insert(m.member_account);
            return true;
        });
        expect(everyone.size() == 5, "community has five distinct members");

        timadmin::Pager pager = client.members("@TGS#2DEMOPUB");
        std::size_t paged = 0;
        while (auto page = pager.next_page()) {
            paged += page->size();
        }
        expect(paged == 5 && pager.fetched() == 5, "pager saw five members");
        expect(pager.mode() == TIMADMIN_PAGING_MODE_OFFSET, "ordinary groups page by offset");

        // Exceptions thrown by the visitor come back out of for_each_member.
        bool rethrown = false;
        try {
            client.for_each_member("@TGS#2DEMOPUB", [](const timadmin::Member &) -> bool {
                throw std::runtime_error("stop here");
            });
        } catch (const std::runtime_error &e) {
            rethrown = std::string(e.what()) == "stop here";
        }
        expect(rethrown, "visitor exception rethrown");

        // Muted members and a change.
        auto muted = client.get_group_muted_account("@TGS#2DEMOPUB");
        std::cout << muted.size() << " muted members\n";
        expect(muted.size() == 2, "two muted demo members");
        client.modify_group_base_info(
            timadmin::ModifyGroupBaseInfoRequest("@TGS#2DEMOPUB").notification("Hello from C++"));
        try {
            timadmin::ModifyGroupBaseInfoRequest("@TGS#2DEMOPUB").name(std::string("\xff\xfe"));
            expect(false, "invalid UTF-8 name throws");
        } catch (const timadmin::Error &e) {
            expect(e.status() == TIMADMIN_STATUS_INVALID_ARGUMENT && e.field() == "Name", "setter names the REST field");
        }

        // Service errors arrive as exceptions with the service's code.
        try {
            client.get_group_member_info("@TGS#2NOSUCHGROUP");
            expect(false, "unknown group throws");
        } catch (const timadmin::Error &e) {
            std::cout << "expected error: " << e.what() << "\n";
            expect(e.status() == TIMADMIN_STATUS_API && e.api_code() == 10010, "10010 for unknown group");
        }
        // ...and invalid arguments before any network call.
        try {
            client.get_group_member_info("@TGS#2DEMOPUB", 0);
            expect(false, "Limit 0 throws");
        } catch (const timadmin::Error &e) {
            expect(e.status() == TIMADMIN_STATUS_INVALID_ARGUMENT && e.field() == "Limit", "Limit 0 rejected");
        }

        // The client is shared by threads.
        std::vector<std::thread> threads;
        std::vector<int> counts(4, 0);
        for (int t = 0; t < 4; t++) {
            threads.emplace_back([&client, &counts, t] {
                try {
                    counts[t] = static_cast<int>(client.get_group_member_info("@TGS#2DEMOPUB").size());
                } catch (const timadmin::Error &) {
                    counts[t] = -1;
                }
            });
        }
        for (auto &t : threads) t.join();
        for (int c : counts) expect(c == 5, "every thread saw five members");

        // UserSig helpers.
        const char *secret_key = std::getenv("TIM_SECRET_KEY");
        if (secret_key != nullptr) {
            std::string sig = timadmin::generate_usersig(client.sdkappid(), secret_key, "alice", 3600);
            auto claims = timadmin::verify_usersig(client.sdkappid(), secret_key, "alice", sig);
            expect(claims.first == "alice", "UserSig verifies");
        }

        // The same client from options set one by one; a bad value is refused by name.
        const char *base_url = std::getenv("TIM_BASE_URL");
        const char *identifier = std::getenv("TIM_IDENTIFIER");
        if (secret_key != nullptr && base_url != nullptr && identifier != nullptr) {
            timadmin::ClientOptions options;
            options.sdkappid(client.sdkappid()).secret_key(secret_key).identifier(identifier).base_url(base_url);
            options.timeout(5.0).max_retries(1).rate_limit_off();
            timadmin::Client explicit_client(options);
            expect(explicit_client.get_group_member_info("@TGS#2DEMOPUB").size() == 5, "options-built client works");
            try {
                options.max_in_flight(0);
                timadmin::Client refused(options);
                expect(false, "max_in_flight 0 throws");
            } catch (const timadmin::Error &e) {
                expect(e.status() == TIMADMIN_STATUS_INVALID_ARGUMENT && e.field() == "max_in_flight",
                       "max_in_flight 0 rejected by name");
            }
        }
    } catch (const timadmin::Error &e) {
        std::cerr << "timadmin error (" << timadmin_status_description(e.status()) << "): " << e.what() << "\n";
        return 1;
    }
    std::cout << (failures == 0 ? "all good" : "FAILURES") << "\n";
    return failures == 0 ? 0 : 1;
}
