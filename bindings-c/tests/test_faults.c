/* Failure statuses the emulator produces on demand (HTTP status, truncated body, timeout,
 * closed connection, service error codes, retries), the pager's retry-after-error behaviour,
 * and that modify_group_base_info really changed the stored group. Faults are injected through
 * the emulator's loopback control API (/__emulator/...), with a minimal HTTP client below. */
#define _POSIX_C_SOURCE 200809L
#include "control.h"

static timadmin_client *client_with(uint32_t retries, uint64_t timeout_ms) {
    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_max_retries(o, retries, NULL));
    if (timeout_ms > 0) {
        MUST(timadmin_client_options_set_timeout(o, (double)timeout_ms / 1000.0, NULL));
    }
    return test_client_from(o);
}

static timadmin_status member_info(const timadmin_client *client, timadmin_error **err) {
    timadmin_get_group_member_info_request *req = test_member_info_request("@TGS#2DEMOPUB");
    timadmin_get_group_member_info_response *result = NULL;
    timadmin_status st = timadmin_client_get_group_member_info(client, req, &result, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK((st == TIMADMIN_STATUS_OK) == (result != NULL));
    timadmin_get_group_member_info_response_free(result);
    return st;
}

int main(void) {
    char reply[16384];
    timadmin_error *err = NULL;
    timadmin_client *client = client_with(0, 0);
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);

    inject("{\"kind\":\"http_status\",\"status\":503,\"command\":\"get_group_member_info\"}");
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_HTTP_STATUS, err);
    CHECK(timadmin_error_http_status(err) == 503);
    CHECK(timadmin_error_is_retryable(err));
    reset_error(&err);

    inject("{\"kind\":\"truncated_body\",\"command\":\"get_group_member_info\"}");
    timadmin_status st = member_info(client, &err);
    CHECK(st == TIMADMIN_STATUS_DECODE || st == TIMADMIN_STATUS_TRANSPORT);
    CHECK(timadmin_error_status(err) == st);
    reset_error(&err);

    inject("{\"kind\":\"close_connection\",\"command\":\"get_group_member_info\"}");
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_TRANSPORT, err);
    reset_error(&err);

    inject("{\"kind\":\"error_code\",\"code\":10002,\"info\":\"busy\",\"command\":\"get_group_member_info\"}");
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10002);
    CHECK_STREQ(timadmin_error_api_info(err), "busy");
    CHECK(timadmin_error_is_retryable(err));
    reset_error(&err);
    timadmin_client_free(client);

    /* with a retry configured, the same one-off fault is absorbed by the core's retry */
    client = client_with(1, 0);
    inject("{\"kind\":\"error_code\",\"code\":10002,\"command\":\"get_group_member_info\"}");
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_OK, err);
    timadmin_client_free(client);

    /* a slow answer beyond the configured timeout */
    client = client_with(0, 300);
    inject("{\"kind\":\"delay\",\"millis\":3000,\"command\":\"get_group_member_info\"}");
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_TIMEOUT, err);
    CHECK(timadmin_error_is_retryable(err));
    reset_error(&err);
    timadmin_client_free(client);

    /* the pager keeps its position after an error: the next call retries the same page */
    client = client_with(0, 0);
    {
        timadmin_member_pager *pager = NULL;
        timadmin_member_page *page = NULL;
        timadmin_page_options *opts = timadmin_page_options_new();
        MUST(timadmin_page_options_set_page_size(opts, 100, NULL));
        CHECK_STATUS(timadmin_client_members(client, "@TGS#_big", opts, &pager, &err), TIMADMIN_STATUS_OK, err);
        timadmin_page_options_free(opts);
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_OK, err);
        timadmin_member_page_free(page);
        page = NULL;
        inject("{\"kind\":\"error_code\",\"code\":70169,\"command\":\"get_group_member_info\"}");
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_API, err);
        CHECK(timadmin_error_api_code(err) == 70169);
        reset_error(&err);
        CHECK(page == NULL);
        CHECK(timadmin_member_pager_fetched(pager) == 100);
        uint64_t total = 100;
        while (timadmin_member_pager_next_page(pager, &page, &err) == TIMADMIN_STATUS_OK && page != NULL) {
            const timadmin_member_page *p = page;
            if (total == 100) {
                CHECK(p->members_len > 0 && strcmp(p->members[0].member_account, "user0100") == 0);
            }
            total += p->members_len;
            timadmin_member_page_free(page);
            page = NULL;
        }
        CHECK(err == NULL);
        reset_error(&err);
        CHECK(total == 250);
        timadmin_member_pager_free(pager);
    }

    /* modify_group_base_info changed the stored group (read back through the control API) */
    {
        timadmin_modify_group_base_info_request *req = test_modify_request("@TGS#2MODIFYME");
        MUST(timadmin_modify_group_base_info_request_set_name(req, "Checked by C", NULL));
        MUST(timadmin_modify_group_base_info_request_set_notification(req, "from test_faults", NULL));
        MUST(timadmin_modify_group_base_info_request_set_apply_join_option(req, TIMADMIN_APPLY_JOIN_OPTION_DISABLE_APPLY, NULL));
        MUST(timadmin_modify_group_base_info_request_add_app_defined_data(req, "Color", "green", NULL));
        CHECK_STATUS(timadmin_client_modify_group_base_info(client, req, &err), TIMADMIN_STATUS_OK, err);
        timadmin_modify_group_base_info_request_free(req);
        CHECK(http("GET", "/__emulator/groups/%40TGS%232MODIFYME", NULL, reply, sizeof reply) == 200);
        CHECK(strstr(reply, "Checked by C") != NULL);
        CHECK(strstr(reply, "from test_faults") != NULL);
        CHECK(strstr(reply, "DisableApply") != NULL);
        CHECK(strstr(reply, "green") != NULL);
    }
    timadmin_client_free(client);
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);
    return test_finish("test_faults");
}
