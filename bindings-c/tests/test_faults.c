/* Failure statuses the emulator produces on demand (HTTP status, truncated body, timeout,
 * closed connection, service error codes, retries), the pager's retry-after-error behaviour,
 * and that modify_group_base_info really changed the stored group. Faults are injected through
 * the emulator's loopback control API (/__emulator/...), with a minimal HTTP client below. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

/* Sends one HTTP request to the emulator; returns the status code and copies up to
 * body_cap-1 bytes of the response (headers included) into body. -1 on socket errors. */
static int http(const char *method, const char *path, const char *json, char *body, size_t body_cap) {
    const char *url = test_base_url(); /* http://127.0.0.1:PORT */
    const char *colon = strrchr(url, ':');
    if (strncmp(url, "http://127.0.0.1:", 17) != 0 || colon == NULL) {
        return -1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(colon + 1));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char request[2048];
    int n = snprintf(request, sizeof request,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, json ? strlen(json) : 0, json ? json : "");
    if (n <= 0 || (size_t)n >= sizeof request || write(fd, request, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    size_t len = 0;
    ssize_t got;
    while (len + 1 < body_cap && (got = read(fd, body + len, body_cap - 1 - len)) > 0) {
        len += (size_t)got;
    }
    body[len] = '\0';
    close(fd);
    int status = -1;
    if (sscanf(body, "HTTP/1.1 %d", &status) != 1) {
        return -1;
    }
    return status;
}

static void inject(const char *fault_json) {
    char reply[4096];
    int status = http("POST", "/__emulator/faults", fault_json, reply, sizeof reply);
    CHECK(status == 200);
    if (status != 200) {
        fprintf(stderr, "fault injection failed (%d): %s\n", status, reply);
    }
}

static timadmin_client *client_with(uint32_t retries, uint64_t timeout_ms) {
    timadmin_config cfg = test_config();
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    cfg.has_max_retries = true;
    cfg.max_retries = retries;
    if (timeout_ms > 0) {
        cfg.has_timeout_ms = true;
        cfg.timeout_ms = timeout_ms;
    }
    CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
    return client;
}

static timadmin_status member_info(const timadmin_client *client, timadmin_error **err) {
    timadmin_get_group_member_info_request req = {0};
    timadmin_get_group_member_info_result *result = NULL;
    req.group_id = "@TGS#2DEMOPUB";
    timadmin_status st = timadmin_client_get_group_member_info(client, &req, &result, err);
    CHECK((st == TIMADMIN_STATUS_OK) == (result != NULL));
    timadmin_get_group_member_info_result_free(result);
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
    CHECK_STATUS(member_info(client, &err), TIMADMIN_STATUS_SERVICE_ERROR, err);
    CHECK(timadmin_error_service_code(err) == 10002);
    CHECK_STREQ(timadmin_error_service_info(err), "busy");
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
        timadmin_page *page = NULL;
        timadmin_page_options opts = {0};
        opts.has_page_size = true;
        opts.page_size = 100;
        CHECK_STATUS(timadmin_client_members(client, "@TGS#_big", &opts, &pager, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_OK, err);
        timadmin_page_free(page);
        page = NULL;
        inject("{\"kind\":\"error_code\",\"code\":70169,\"command\":\"get_group_member_info\"}");
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_SERVICE_ERROR, err);
        CHECK(timadmin_error_service_code(err) == 70169);
        reset_error(&err);
        CHECK(page == NULL);
        CHECK(timadmin_member_pager_fetched(pager) == 100);
        uint64_t total = 100;
        while (timadmin_member_pager_next_page(pager, &page, &err) == TIMADMIN_STATUS_OK && page != NULL) {
            const timadmin_member_page *p = timadmin_page_get(page);
            if (total == 100) {
                CHECK(p->members_len > 0 && strcmp(p->members[0].member_account, "user0100") == 0);
            }
            total += p->members_len;
            timadmin_page_free(page);
            page = NULL;
        }
        CHECK(err == NULL);
        reset_error(&err);
        CHECK(total == 250);
        timadmin_member_pager_free(pager);
    }

    /* modify_group_base_info changed the stored group (read back through the control API) */
    {
        timadmin_modify_group_base_info_request req = {0};
        timadmin_app_data_update data[] = {{"Color", "green"}};
        req.group_id = "@TGS#2MODIFYME";
        req.name = "Checked by C";
        req.notification = "from test_faults";
        req.apply_join_option = TIMADMIN_APPLY_JOIN_OPTION_DISABLE_APPLY;
        req.app_defined_data = data;
        req.app_defined_data_len = 1;
        CHECK_STATUS(timadmin_client_modify_group_base_info(client, &req, &err), TIMADMIN_STATUS_OK, err);
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
