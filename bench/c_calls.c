/*
 * The C side of `make bench`: sequential get_group_muted_account calls through libtimadmin
 * (static, release) against the fixed-response server for SECONDS after a warm-up; prints one
 * JSON line like the Rust and Python benches.
 *
 * Usage: c_calls BASE_URL SECONDS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <timadmin.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: c_calls BASE_URL SECONDS\n");
        return 2;
    }
    double seconds = atof(argv[2]);
    timadmin_client_options *options = timadmin_client_options_new();
    timadmin_error *err = NULL;
    if (timadmin_client_options_set_sdkappid(options, 1400000000, &err) != TIMADMIN_STATUS_OK ||
        timadmin_client_options_set_secret_key(options, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e", &err) != TIMADMIN_STATUS_OK ||
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
        fprintf(stderr, "client: %s\n", timadmin_error_message(err));
        return 1;
    }
    timadmin_get_group_muted_account_request *req = NULL;
    if (timadmin_get_group_muted_account_request_new("@TGS#2DEMOPUB", &req, &err) != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "request: %s\n", timadmin_error_message(err));
        return 1;
    }
    size_t cap = 1 << 20, n = 0;
    double *samples = malloc(cap * sizeof *samples);
    double start = now_us(), warm = start + seconds * 1e6 / 4, end = warm + seconds * 1e6;
    for (;;) {
        timadmin_get_group_muted_account_response *result = NULL;
        double t0 = now_us();
        if (timadmin_client_get_group_muted_account(client, req, &result, &err) != TIMADMIN_STATUS_OK) {
            fprintf(stderr, "call: %s\n", timadmin_error_message(err));
            return 1;
        }
        timadmin_get_group_muted_account_response_free(result);
        double t1 = now_us();
        if (t1 > end) break;
        if (t0 >= warm && n < cap) samples[n++] = t1 - t0;
    }
    qsort(samples, n, sizeof *samples, cmp);
    printf("{\"bench\": \"c-sync-c1\", \"calls\": %zu, \"calls_per_sec\": %.1f, \"p50_us\": %.0f, \"p99_us\": %.0f}\n",
           n, (double)n / seconds, n ? samples[n / 2] : 0.0, n ? samples[(size_t)((double)(n - 1) * 0.99)] : 0.0);
    free(samples);
    timadmin_get_group_muted_account_request_free(req);
    timadmin_client_free(client);
    return 0;
}
