/* Per-client stats (timadmin_client_stats_json): three good calls, one for a missing group
 * (10010), one retried 502, then concurrent calls from threads (peak in flight >= 2), read back
 * from the core's stats JSON. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "control.h"

#define THREADS 4

/* The JSON text of `client`'s stats; the caller frees it with timadmin_string_free. */
static timadmin_string *stats_of(const timadmin_client *client) {
    timadmin_string *json = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_stats_json(client, &json, &err), TIMADMIN_STATUS_OK, err);
    return json;
}

/* The number after `key` inside the object that starts at `from` (or -1). */
static double number_after(const char *from, const char *key) {
    const char *at = from ? strstr(from, key) : NULL;
    return at ? strtod(at + strlen(key), NULL) : -1.0;
}

/* latency_ms of the command whose entry starts with `entry`: 0 < p50 <= p99 <= max. */
static void check_latency(const char *json, const char *entry) {
    const char *command = strstr(json, entry);
    CHECK(command != NULL);
    const char *latency = command ? strstr(command, "\"latency_ms\":") : NULL;
    double p50 = number_after(latency, "\"p50\":"), p99 = number_after(latency, "\"p99\":");
    double max = number_after(latency, "\"max\":");
    CHECK(0.0 < p50 && p50 <= p99 && p99 <= max);
}

/* One get_group_muted_account call; returns NULL on success (no CHECK: it runs on threads). */
static void *muted_call(void *arg) {
    const timadmin_client *client = arg;
    timadmin_get_group_muted_account_request *req = test_muted_request("@TGS#2DEMOPUB");
    timadmin_get_group_muted_account_response *muted = NULL;
    timadmin_error *err = NULL;
    timadmin_status st = timadmin_client_get_group_muted_account(client, req, &muted, &err);
    if (st != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "get_group_muted_account: %s\n", timadmin_error_message(err));
    }
    timadmin_error_free(err);
    timadmin_get_group_muted_account_response_free(muted);
    timadmin_get_group_muted_account_request_free(req);
    return st == TIMADMIN_STATUS_OK ? NULL : arg;
}

int main(void) {
    char reply[4096];
    timadmin_error *err = NULL;
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);
    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_max_retries(o, 2, NULL));
    timadmin_client *client = test_client_from(o);

    timadmin_string *json = stats_of(client);
    CHECK_STREQ(timadmin_string_get(json), "{\"commands\":{},\"in_flight\":0,\"peak_in_flight\":0}");
    timadmin_string_free(json);

    for (int i = 0; i < 3; i++) {
        timadmin_get_group_member_info_request *req = test_member_info_request("@TGS#2DEMOPUB");
        timadmin_get_group_member_info_response *r = NULL;
        CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &r, &err), TIMADMIN_STATUS_OK, err);
        timadmin_get_group_member_info_response_free(r);
        timadmin_get_group_member_info_request_free(req);
    }
    timadmin_get_group_member_info_request *missing = test_member_info_request("@TGS#2NOSUCHGROUP");
    timadmin_get_group_member_info_response *none = NULL;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, missing, &none, &err), TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
    timadmin_get_group_member_info_request_free(missing);
    inject("{\"kind\":\"http_status\",\"status\":502,\"command\":\"get_group_muted_account\"}");
    CHECK(muted_call(client) == NULL);

    json = stats_of(client);
    const char *text = json ? timadmin_string_get(json) : "";
    CHECK(strstr(text, "\"get_group_member_info\":{\"calls\":4,\"ok\":3,\"errors\":{\"group_not_found\":1},"
                       "\"retries\":0,") != NULL);
    CHECK(strstr(text, "\"get_group_muted_account\":{\"calls\":1,\"ok\":1,\"errors\":{},\"retries\":1,") != NULL);
    check_latency(text, "\"get_group_member_info\":");
    check_latency(text, "\"get_group_muted_account\":");
    CHECK(strstr(text, "\"in_flight\":0,") != NULL);
    printf("stats after the scenario: %s\n", text);
    timadmin_string_free(json);

    /* Threads with slow answers overlap, however loaded the machine is. */
    inject("{\"kind\":\"delay\",\"millis\":300,\"times\":4,\"command\":\"get_group_muted_account\"}");
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_create(&threads[i], NULL, muted_call, client) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        void *failed = NULL;
        pthread_join(threads[i], &failed);
        CHECK(failed == NULL);
    }
    json = stats_of(client);
    text = json ? timadmin_string_get(json) : "";
    CHECK(strstr(text, "\"get_group_muted_account\":{\"calls\":5,\"ok\":5,") != NULL);
    CHECK(number_after(text, "\"peak_in_flight\":") >= 2.0);
    printf("stats after %d threads: %s\n", THREADS, text);
    timadmin_string_free(json);

    /* NULL checks */
    CHECK_STATUS(timadmin_client_stats_json(NULL, &json, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_stats_json(client, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);

    timadmin_client_free(client);
    return test_finish("test_stats");
}
