/* UserSig generate/verify, status descriptions, version, and their error paths. */
#include "common.h"

int main(void) {
    const uint64_t app = test_sdkappid();
    const char *secret_key = test_key();
    timadmin_error *err = NULL;
    timadmin_string *sig = NULL;
    timadmin_claims *verified = NULL;

    CHECK(timadmin_version() != NULL && strlen(timadmin_version()) > 0);
    CHECK_STREQ(timadmin_status_description(TIMADMIN_STATUS_OK), "ok");
    CHECK_STREQ(timadmin_status_description(TIMADMIN_STATUS_API), "service error");
    CHECK_STREQ(timadmin_status_description(9999), "unknown status");
    CHECK_STREQ(timadmin_status_description(-1), "unknown status");

    /* generate + verify, no userbuf */
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "administrator", 86400, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK(sig != NULL);
    CHECK(timadmin_string_len(sig) > 32);
    CHECK(strlen(timadmin_string_get(sig)) == timadmin_string_len(sig));
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "administrator", timadmin_string_get(sig), NULL, 0,
                                         &verified, &err),
                 TIMADMIN_STATUS_OK, err);
    {
        const timadmin_claims *c = verified;
        CHECK(c != NULL);
        CHECK_STREQ(c->identifier, "administrator");
        CHECK(c->sdkappid == app);
        CHECK(c->expire == 86400);
        CHECK(c->expires_at == c->time + 86400);
        CHECK(!c->has_userbuf);
        CHECK(c->userbuf == NULL && c->userbuf_len == 0);
    }
    timadmin_claims_free(verified);
    verified = NULL;

    /* wrong key, wrong identifier, wrong app, malformed token: USERSIG errors, no output */
    CHECK_STATUS(timadmin_verify_usersig(app, "not-the-key", "administrator", timadmin_string_get(sig),
                                         NULL, 0, &verified, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    CHECK(verified == NULL);
    CHECK(err != NULL && timadmin_error_status(err) == TIMADMIN_STATUS_USERSIG);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "signature") != NULL);
    CHECK(err != NULL && strcmp(timadmin_error_usersig_reason(err), "signature_mismatch") == 0);
    CHECK(err != NULL && strcmp(timadmin_error_api_kind(err), "") == 0);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "not-the-key") == NULL);
    CHECK(err != NULL && strstr(timadmin_error_message(err), timadmin_string_get(sig)) == NULL);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "someone-else", timadmin_string_get(sig), NULL, 0,
                                         &verified, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "identifier") != NULL);
    CHECK(err != NULL && strcmp(timadmin_error_usersig_reason(err), "identifier_mismatch") == 0);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app + 1, secret_key, "administrator", timadmin_string_get(sig), NULL, 0,
                                         &verified, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "administrator", "garbage!!", NULL, 0, &verified, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "malformed") != NULL);
    CHECK(err != NULL && strcmp(timadmin_error_usersig_reason(err), "malformed") == 0);
    reset_error(&err);
    /* error_out may be NULL: the status alone still says what happened */
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "administrator", "garbage!!", NULL, 0, &verified, NULL),
                 TIMADMIN_STATUS_USERSIG, err);
    CHECK(verified == NULL);
    timadmin_string_free(sig);
    sig = NULL;

    /* with a userbuf */
    {
        const uint8_t buf[] = {0, 1, 2, 250, 255};
        const uint8_t other[] = {9, 9};
        CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "alice", 600, buf, sizeof buf, &sig, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "alice", timadmin_string_get(sig), buf, sizeof buf,
                                             &verified, &err),
                     TIMADMIN_STATUS_OK, err);
        {
            const timadmin_claims *c = verified;
            CHECK(c != NULL && c->has_userbuf && c->userbuf_len == sizeof buf);
            CHECK(c != NULL && c->userbuf != NULL && memcmp(c->userbuf, buf, sizeof buf) == 0);
            CHECK(c != NULL && c->expire == 600);
        }
        timadmin_claims_free(verified);
        verified = NULL;
        CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "alice", timadmin_string_get(sig), other, sizeof other,
                                             &verified, &err),
                     TIMADMIN_STATUS_USERSIG, err);
        CHECK(err != NULL && strstr(timadmin_error_message(err), "userbuf") != NULL);
        reset_error(&err);
        timadmin_string_free(sig);
        sig = NULL;
    }

    /* invalid inputs for signing: empty key / identifier, zero app (core rejects them) */
    CHECK_STATUS(timadmin_generate_usersig(app, "", "administrator", 60, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "", 60, NULL, 0, &sig, &err), TIMADMIN_STATUS_USERSIG, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(0, secret_key, "administrator", 60, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_USERSIG, err);
    reset_error(&err);
    CHECK(sig == NULL);

    /* invalid UTF-8 in every string parameter */
    CHECK_STATUS(timadmin_generate_usersig(app, INVALID_UTF8, "administrator", 60, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "secret_key");
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, INVALID_UTF8, 60, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "identifier");
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "administrator", INVALID_UTF8, NULL, 0, &verified, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "usersig");
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, INVALID_UTF8, "administrator", "x", NULL, 0, &verified, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, INVALID_UTF8, "x", NULL, 0, &verified, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    reset_error(&err);

    /* NULL for every pointer parameter */
    CHECK_STATUS(timadmin_generate_usersig(app, NULL, "a", 60, NULL, 0, &sig, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "secret_key");
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, NULL, 60, NULL, 0, &sig, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "identifier");
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "a", 60, NULL, 3, &sig, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "userbuf");
    reset_error(&err);
    CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "a", 60, NULL, 0, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "usersig_out");
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, NULL, "a", "x", NULL, 0, &verified, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, NULL, "x", NULL, 0, &verified, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "a", NULL, NULL, 0, &verified, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "a", "x", NULL, 2, &verified, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "a", "x", NULL, 0, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "claims_out");
    reset_error(&err);
    CHECK(sig == NULL && verified == NULL);

    /* accessors and destructors accept NULL */
    CHECK(timadmin_string_get(NULL) == NULL);
    CHECK(timadmin_string_len(NULL) == 0);
    CHECK(timadmin_error_status(NULL) == TIMADMIN_STATUS_OK);
    CHECK(timadmin_error_message(NULL) == NULL);
    CHECK(timadmin_error_api_code(NULL) == 0);
    CHECK(timadmin_error_api_info(NULL) == NULL);
    CHECK(timadmin_error_api_kind(NULL) == NULL);
    CHECK(timadmin_error_api_description(NULL) == NULL);
    CHECK(timadmin_error_usersig_reason(NULL) == NULL);
    CHECK(timadmin_error_field(NULL) == NULL);
    CHECK(timadmin_error_http_status(NULL) == 0);
    CHECK(!timadmin_error_is_retryable(NULL));
    timadmin_string_free(NULL);
    timadmin_claims_free(NULL);
    timadmin_error_free(NULL);

    return test_finish("test_usersig");
}
