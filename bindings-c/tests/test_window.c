/*
 * The rate limit holds through a server stall, in real time, from many threads: 128 threads
 * share one client at rate_limit=200 and max_in_flight=64 and make 1,024 calls while the
 * emulator answers the first 64 two seconds late (so half the threads queue for a slot). The emulator counts what it received (arrival stamps taken before the
 * injected delay) in every sliding one-second window (/__emulator/stats); none may hold more
 * than the rate, and the peak of requests in flight it saw is the client's cap.
 *
 * Run natively by test.sh, not under valgrind: valgrind runs one thread at a time, so a
 * request would leave long after its permit and the emulator's clock would not see the
 * client's pacing.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "control.h"

#define PUB "@TGS#2DEMOPUB"
#define RATE 200
#define THREADS 128
#define CALLS_PER_THREAD 8
#define IN_FLIGHT 64

struct worker {
    const timadmin_client *client;
    int ok;
    int typed_failures;
    int untyped_failures;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
        timadmin_get_group_muted_account_request *req = test_muted_request(PUB);
        timadmin_get_group_muted_account_response *result = NULL;
        timadmin_error *err = NULL;
        timadmin_status st = timadmin_client_get_group_muted_account(w->client, req, &result, &err);
        timadmin_get_group_muted_account_request_free(req);
        if (st == TIMADMIN_STATUS_OK) {
            w->ok++;
        } else if (err != NULL && timadmin_error_message(err) != NULL) {
            fprintf(stderr, "call failed (%d): %s\n", (int)st, timadmin_error_message(err));
            w->typed_failures++;
        } else {
            w->untyped_failures++;
        }
        timadmin_get_group_muted_account_response_free(result);
        timadmin_error_free(err);
    }
    return NULL;
}

/* The integer after `"key":` in `json` (the first occurrence after `from`), or -1. */
static long json_int(const char *json, const char *from, const char *key) {
    const char *at = from ? strstr(json, from) : json;
    char needle[96];
    snprintf(needle, sizeof needle, "\"%s\":", key);
    at = at ? strstr(at, needle) : NULL;
    return at ? strtol(at + strlen(needle), NULL, 10) : -1;
}

int main(void) {
    char reply[8192];
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);
    CHECK(http("DELETE", "/__emulator/calls", NULL, reply, sizeof reply) == 200);
    inject("{\"kind\":\"delay\",\"millis\":2000,\"times\":64}");

    timadmin_client_options *cfg = test_client_options();
    MUST(timadmin_client_options_set_rate_limit(cfg, RATE, NULL));
    MUST(timadmin_client_options_set_max_in_flight(cfg, IN_FLIGHT, NULL));
    MUST(timadmin_client_options_set_max_retries(cfg, 0, NULL));
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(cfg, &client, &err), TIMADMIN_STATUS_OK, err);
    timadmin_client_options_free(cfg);
    if (client == NULL) {
        return test_finish("test_window");
    }
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].client = client;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    int ok = 0, typed = 0, untyped = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok += workers[i].ok;
        typed += workers[i].typed_failures;
        untyped += workers[i].untyped_failures;
    }
    timadmin_client_free(client);
    CHECK(untyped == 0);
    CHECK(typed == 0);
    CHECK(ok == THREADS * CALLS_PER_THREAD);

    CHECK(http("GET", "/__emulator/stats", NULL, reply, sizeof reply) == 200);
    const char *body = strstr(reply, "\r\n\r\n");
    body = body ? body : reply;
    long calls = json_int(body, NULL, "calls");
    long peak = json_int(body, NULL, "peak_in_flight");
    long busiest = json_int(body, "\"busiest_second\"", "get_group_muted_account");
    printf("server stall (C, %d threads): %ld calls, busiest one-second window %ld, peak %ld in flight\n", THREADS,
           calls, busiest, peak);
    CHECK(calls == THREADS * CALLS_PER_THREAD);
    CHECK(busiest > 0 && busiest <= RATE);
    CHECK(peak == IN_FLIGHT);
    return test_finish("test_window");
}
