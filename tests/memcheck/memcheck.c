/* 100,000 calls through the C ABI against the emulator (a separate process), with RSS sampled
 * every 10,000 calls: the client's memory must stay flat. Run by tests/memcheck.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <timadmin.h>

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    if (f == NULL) {
        return 0;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
        }
    }
    fclose(f);
    return kib;
}

static int one(const timadmin_client *client, long i) {
    timadmin_error *err = NULL;
    timadmin_status st;
    if (i % 10 == 9) { /* a service error: the error object is made and freed */
        timadmin_get_group_member_info_request *req = NULL;
        timadmin_get_group_member_info_response *result = NULL;
        if (timadmin_get_group_member_info_request_new("@TGS#2NOSUCH", &req, &err) != TIMADMIN_STATUS_OK) {
            timadmin_error_free(err);
            return 1;
        }
        st = timadmin_client_get_group_member_info(client, req, &result, &err);
        timadmin_get_group_member_info_request_free(req);
        timadmin_error_free(err);
        return st == TIMADMIN_STATUS_API ? 0 : 1;
    }
    if (i % 2 == 0) {
        timadmin_get_group_member_info_request *req = NULL;
        timadmin_get_group_member_info_response *result = NULL;
        st = timadmin_get_group_member_info_request_new("@TGS#2DEMOPUB", &req, &err);
        if (st == TIMADMIN_STATUS_OK) {
            /* a request may be set (strings copied) and is freed by the caller */
            st = timadmin_get_group_member_info_request_add_member_info_filter(req, "Role", &err);
        }
        if (st == TIMADMIN_STATUS_OK) {
            st = timadmin_client_get_group_member_info(client, req, &result, &err);
        }
        timadmin_get_group_member_info_request_free(req);
        int ok = st == TIMADMIN_STATUS_OK && result->member_list_len == 5;
        timadmin_get_group_member_info_response_free(result);
        timadmin_error_free(err);
        return ok ? 0 : 1;
    }
    timadmin_get_group_muted_account_request *req = NULL;
    timadmin_get_group_muted_account_response *result = NULL;
    st = timadmin_get_group_muted_account_request_new("@TGS#2DEMOPUB", &req, &err);
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_get_group_muted_account(client, req, &result, &err);
    }
    timadmin_get_group_muted_account_request_free(req);
    int ok = st == TIMADMIN_STATUS_OK && result->muted_account_list_len == 2;
    timadmin_get_group_muted_account_response_free(result);
    timadmin_error_free(err);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: memcheck BASE_URL SDKAPPID KEY [CALLS]\n");
        return 2;
    }
    long calls = argc > 4 ? strtol(argv[4], NULL, 10) : 100000;
    timadmin_client_options *options = timadmin_client_options_new();
    timadmin_error *err = NULL;
    if (timadmin_client_options_set_sdkappid(options, strtoull(argv[2], NULL, 10), &err) != TIMADMIN_STATUS_OK ||
        timadmin_client_options_set_secret_key(options, argv[3], &err) != TIMADMIN_STATUS_OK ||
        timadmin_client_options_set_base_url(options, argv[1], &err) != TIMADMIN_STATUS_OK ||
        timadmin_client_options_set_rate_limit_off(options, &err) != TIMADMIN_STATUS_OK ||
        timadmin_client_options_set_max_retries(options, 0, &err) != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "options: %s\n", timadmin_error_message(err));
        timadmin_error_free(err);
        timadmin_client_options_free(options);
        return 1;
    }
    timadmin_client *client = NULL;
    timadmin_status built = timadmin_client_new(options, &client, &err);
    timadmin_client_options_free(options);
    if (built != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "cannot build the client: %s\n", timadmin_error_message(err));
        timadmin_error_free(err);
        return 1;
    }
    int failures = 0;
    for (long i = 0; i < 2000; i++) {
        failures += one(client, i);
    }
    long start = rss_kib(), end = start, max = start;
    long samples[64];
    int n = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < calls; i++) {
        failures += one(client, i);
        if ((i + 1) % 10000 == 0 && n < 64) {
            end = samples[n++] = rss_kib();
            if (end > max) {
                max = end;
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    timadmin_client_free(client);
    printf("MEMCHECK c: %ld calls in %.0f s (%d failed); RSS start %.1f MiB, end %.1f MiB, max %.1f MiB; every 10,000 calls (MiB):",
           calls, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, failures, start / 1024.0,
           end / 1024.0, max / 1024.0);
    for (int k = 0; k < n; k++) {
        printf(" %.1f", samples[k] / 1024.0);
    }
    printf("\n");
    return failures == 0 && end - start < 8 * 1024 ? 0 : 1;
}
