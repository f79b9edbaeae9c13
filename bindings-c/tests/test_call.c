/* The raw call (timadmin_client_call) through the C ABI against the emulator: the three typed
 * endpoints called raw answer as the typed calls do, an unknown command is the service's 10003,
 * the command-path vectors (tests/vectors/commands.json) and bad bodies are refused before the
 * network, NULL and non-UTF-8 arguments. */
#define _POSIX_C_SOURCE 200809L

#include "control.h"

#include "commands_vectors.h"

#define PUB "@TGS#2DEMOPUB"

static int no_calls(void) {
    static char reply[8192];
    return http("GET", "/__emulator/calls", NULL, reply, sizeof reply) == 200 && strstr(reply, "\r\n\r\n[]") != NULL;
}

static void clear_calls(void) {
    char reply[1024];
    CHECK(http("DELETE", "/__emulator/calls", NULL, reply, sizeof reply) == 200);
}

/* Calls `command` with `body`; on success returns a copy of the answer (free it), else NULL and
 * the error in *err. */
static char *call(const timadmin_client *client, const char *command, const char *body, timadmin_status *status,
                  timadmin_error **err) {
    timadmin_string *json = NULL;
    *status = timadmin_client_call(client, command, body, &json, err);
    if (*status != TIMADMIN_STATUS_OK) {
        return NULL;
    }
    const char *text = timadmin_string_get(json);
    char *copy = malloc(strlen(text) + 1);
    if (copy != NULL) {
        strcpy(copy, text);
    }
    timadmin_string_free(json);
    return copy;
}

/* Whether the member object of `account` in the answer holds `needle`. */
static int member_has(const char *json, const char *account, const char *needle) {
    char key[128];
    snprintf(key, sizeof key, "\"Member_Account\":\"%s\"", account);
    const char *at = strstr(json, key);
    if (at == NULL) {
        return 0;
    }
    /* One member object: back to its '{', on to its '}', skipping the objects nested in it
     * (AppMemberDefinedData's; the fixture's strings hold no braces). */
    const char *start = at;
    int depth = 0;
    for (; start > json; start--) {
        if (*start == '}') {
            depth++;
        } else if (*start == '{' && depth-- == 0) {
            break;
        }
    }
    depth = 0;
    const char *end = start;
    for (; *end != '\0'; end++) {
        if (*end == '{') {
            depth++;
        } else if (*end == '}' && --depth == 0) {
            break;
        }
    }
    const char *found = strstr(start, needle);
    return found != NULL && found < end;
}

static void test_typed_endpoints_raw(const timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_status st;

    /* get_group_member_info: MemberNum, each member's account and role, as the typed call */
    char *raw = call(client, "group_open_http_svc/get_group_member_info", "{\"GroupId\":\"" PUB "\"}", &st, &err);
    CHECK_STATUS(st, TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_response *typed = NULL;
    timadmin_get_group_member_info_request *req = test_member_info_request(PUB);
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &typed, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK(raw != NULL && typed != NULL);
    if (raw != NULL && typed != NULL) {
        CHECK(strstr(raw, "\"ActionStatus\":\"OK\"") != NULL && strstr(raw, "\"ErrorCode\":0") != NULL);
        char num[64];
        snprintf(num, sizeof num, "\"MemberNum\":%llu", (unsigned long long)typed->member_num);
        CHECK(strstr(raw, num) != NULL);
        CHECK(typed->member_list_len == 5);
        const char *previous = raw;
        for (size_t i = 0; i < typed->member_list_len; i++) {
            const timadmin_group_member *m = &typed->member_list[i];
            char key[128], role[64];
            snprintf(key, sizeof key, "\"Member_Account\":\"%s\"", m->member_account);
            const char *at = strstr(raw, key);
            CHECK(at != NULL && at >= previous); /* the same members, in the same order */
            previous = at ? at : previous;
            /* "Member " is the service's spelling of Member */
            snprintf(role, sizeof role, "\"Role\":\"%s", timadmin_role_as_str(m->role));
            CHECK(member_has(raw, m->member_account, role));
        }
    }
    free(raw);
    timadmin_get_group_member_info_response_free(typed);

    /* get_group_muted_account: each muted account and its MutedUntil */
    raw = call(client, "group_open_http_svc/get_group_muted_account", "{\"GroupId\":\"" PUB "\"}", &st, &err);
    CHECK_STATUS(st, TIMADMIN_STATUS_OK, err);
    timadmin_get_group_muted_account_response *muted = NULL;
    timadmin_get_group_muted_account_request *mreq = test_muted_request(PUB);
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, mreq, &muted, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_muted_account_request_free(mreq);
    CHECK(raw != NULL && muted != NULL && muted->muted_account_list_len > 0);
    if (raw != NULL && muted != NULL) {
        for (size_t i = 0; i < muted->muted_account_list_len; i++) {
            char until[64];
            snprintf(until, sizeof until, "\"MutedUntil\":%llu",
                     (unsigned long long)muted->muted_account_list[i].muted_until);
            CHECK(member_has(raw, muted->muted_account_list[i].member_account, until));
        }
    }
    free(raw);
    timadmin_get_group_muted_account_response_free(muted);

    /* modify_group_base_info: the change is stored (read back through the control API) */
    raw = call(client, "group_open_http_svc/modify_group_base_info",
               "{\"GroupId\":\"" PUB "\",\"Name\":\"Raw from C\"}", &st, &err);
    CHECK_STATUS(st, TIMADMIN_STATUS_OK, err);
    CHECK(raw != NULL && strstr(raw, "\"ActionStatus\":\"OK\"") != NULL);
    free(raw);
    char reply[16384];
    CHECK(http("GET", "/__emulator/groups/%40TGS%232DEMOPUB", NULL, reply, sizeof reply) == 200);
    CHECK(strstr(reply, "Raw from C") != NULL);
}

static void test_errors(const timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_status st;
    timadmin_string *json = NULL;

    /* an unknown command: the service's 10003, the typed API error */
    char *raw = call(client, "openim/sendmsg", "{\"From_Account\":\"a\"}", &st, &err);
    CHECK(raw == NULL && st == TIMADMIN_STATUS_API);
    CHECK(timadmin_error_api_code(err) == 10003);
    CHECK_STREQ(timadmin_error_api_kind(err), "invalid_command");
    reset_error(&err);

    /* the command vectors: valid paths are sent, invalid ones refused before the network */
    for (size_t i = 0; i < COMMAND_VECTORS_LEN; i++) {
        const command_vector *v = &COMMAND_VECTORS[i];
        clear_calls();
        raw = call(client, v->command, "{}", &st, &err);
        if (v->valid) {
            CHECK(st == TIMADMIN_STATUS_OK || st == TIMADMIN_STATUS_API);
            CHECK(!no_calls());
        } else {
            CHECK(st == TIMADMIN_STATUS_INVALID_ARGUMENT);
            CHECK_STREQ(timadmin_error_field(err), v->error);
            CHECK(no_calls());
            if (st != TIMADMIN_STATUS_INVALID_ARGUMENT) {
                fprintf(stderr, "command vector %zu was not refused\n", i);
            }
        }
        free(raw);
        reset_error(&err);
    }

    /* a body that is not a JSON object */
    clear_calls();
    const char *bodies[] = {"[]", "not json", "\"x\"", "null", ""};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        CHECK(timadmin_client_call(client, "openim/sendmsg", bodies[i], &json, &err) == TIMADMIN_STATUS_INVALID_ARGUMENT);
        CHECK_STREQ(timadmin_error_field(err), "body");
        reset_error(&err);
    }
    /* non-UTF-8 text */
    CHECK(timadmin_client_call(client, "openim/send\xff", "{}", &json, &err) == TIMADMIN_STATUS_INVALID_ARGUMENT);
    CHECK_STREQ(timadmin_error_field(err), "command");
    reset_error(&err);
    CHECK(timadmin_client_call(client, "openim/sendmsg", "{\"a\":\"\xff\"}", &json, &err) ==
          TIMADMIN_STATUS_INVALID_ARGUMENT);
    CHECK_STREQ(timadmin_error_field(err), "body");
    reset_error(&err);
    CHECK(no_calls());

    /* NULL arguments */
    CHECK(timadmin_client_call(NULL, "openim/sendmsg", "{}", &json, &err) == TIMADMIN_STATUS_NULL_PARAMETER);
    reset_error(&err);
    CHECK(timadmin_client_call(client, NULL, "{}", &json, &err) == TIMADMIN_STATUS_NULL_PARAMETER);
    reset_error(&err);
    CHECK(timadmin_client_call(client, "openim/sendmsg", NULL, &json, &err) == TIMADMIN_STATUS_NULL_PARAMETER);
    reset_error(&err);
    CHECK(timadmin_client_call(client, "openim/sendmsg", "{}", NULL, &err) == TIMADMIN_STATUS_NULL_PARAMETER);
    reset_error(&err);
    CHECK(timadmin_client_call(client, "openim/sendmsg", "{}", &json, NULL) == TIMADMIN_STATUS_API);
    CHECK(json == NULL);
}

int main(void) {
    timadmin_client *client = test_client();
    test_typed_endpoints_raw(client);
    test_errors(client);
    timadmin_client_free(client);
    return test_finish("test_call");
}
