/*
 * timadmin_decode_usersig: a UserSig's claims without the key and without checking the signature
 * (core: usersig::decode). A token made by timadmin_generate_usersig decodes to what was signed;
 * the shared vectors' valid tokens (every official implementation's shape) decode to their
 * claims; a token signed with a key nobody here has still decodes; garbage is
 * TIMADMIN_STATUS_USERSIG with reason "malformed", as in the core, and never echoes the token.
 */
#include "common.h"
#include "usersig_vectors.h"

int main(void) {
    const uint64_t app = test_sdkappid();
    const char *secret_key = test_key();
    timadmin_error *err = NULL;
    timadmin_string *sig = NULL;
    timadmin_unverified_claims *claims = NULL;
    timadmin_claims *verified = NULL;
    size_t i;

    /* generate, then decode without the key: the same identifier, app, expire and userbuf */
    {
        const uint8_t buf[] = {0, 1, 2, 250, 255};
        CHECK_STATUS(timadmin_generate_usersig(app, secret_key, "alice", 600, buf, sizeof buf, &sig, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(timadmin_decode_usersig(timadmin_string_get(sig), &claims, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(timadmin_verify_usersig(app, secret_key, "alice", timadmin_string_get(sig), NULL, 0, &verified,
                                             &err),
                     TIMADMIN_STATUS_OK, err);
        if (claims != NULL && verified != NULL) {
            CHECK_STREQ(claims->identifier, "alice");
            CHECK(claims->sdkappid == app);
            CHECK(claims->expire == 600);
            CHECK(claims->time == verified->time);
            CHECK(claims->expires_at == claims->time + 600);
            CHECK(claims->has_userbuf && claims->userbuf_len == sizeof buf);
            CHECK(claims->userbuf != NULL && memcmp(claims->userbuf, buf, sizeof buf) == 0);
        } else {
            CHECK(!"generate/decode/verify failed");
        }
        timadmin_unverified_claims_free(claims);
        timadmin_claims_free(verified);
        timadmin_string_free(sig);
        claims = NULL;
        verified = NULL;
        sig = NULL;
    }

    /* no key needed: a token signed with another key (and for another app) still decodes */
    CHECK_STATUS(timadmin_generate_usersig(app + 7, "a key nobody here has", "mallory", 60, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK_STATUS(timadmin_verify_usersig(app + 7, secret_key, "mallory", timadmin_string_get(sig), NULL, 0, &verified,
                                         &err),
                 TIMADMIN_STATUS_USERSIG, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_decode_usersig(timadmin_string_get(sig), &claims, &err), TIMADMIN_STATUS_OK, err);
    CHECK(claims != NULL && strcmp(claims->identifier, "mallory") == 0 && claims->sdkappid == app + 7);
    CHECK(claims != NULL && !claims->has_userbuf && claims->userbuf == NULL && claims->userbuf_len == 0);
    timadmin_unverified_claims_free(claims);
    claims = NULL;
    timadmin_string_free(sig);
    sig = NULL;

    /* every implementation's tokens (the shared vectors) */
    for (i = 0; i < N_VALID_VECTORS; i++) {
        const usersig_vector *v = &VALID_VECTORS[i];
        CHECK_STATUS(timadmin_decode_usersig(v->usersig, &claims, &err), TIMADMIN_STATUS_OK, err);
        if (claims != NULL) {
            CHECK_STREQ(claims->identifier, v->identifier);
            CHECK(claims->sdkappid == v->sdkappid && claims->time == v->time && claims->expire == v->expire);
            CHECK(claims->has_userbuf == (v->userbuf != NULL) && claims->userbuf_len == v->userbuf_len);
            CHECK(v->userbuf_len == 0 ||
                  (claims->userbuf != NULL && claims->userbuf_len == v->userbuf_len &&
                   memcmp(claims->userbuf, v->userbuf, v->userbuf_len) == 0));
        }
        timadmin_unverified_claims_free(claims);
        claims = NULL;
    }

    /* what cannot be read: the core's UserSig error, reason "malformed", no output, no token */
    {
        const char *garbage[] = {"garbage!!", "", "eJwrSS0uAQAEXQHB", "*-*-"};
        for (i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
            CHECK_STATUS(timadmin_decode_usersig(garbage[i], &claims, &err), TIMADMIN_STATUS_USERSIG, err);
            CHECK(claims == NULL);
            CHECK(err != NULL && strcmp(timadmin_error_usersig_reason(err), "malformed") == 0);
            CHECK(err != NULL && (garbage[i][0] == '\0' || strstr(timadmin_error_message(err), garbage[i]) == NULL));
            reset_error(&err);
        }
        for (i = 0; i < N_INVALID_VECTORS; i++) {
            const usersig_vector *v = &INVALID_VECTORS[i];
            if (strcmp(v->error, "malformed") != 0) {
                continue;
            }
            CHECK_STATUS(timadmin_decode_usersig(v->usersig, &claims, &err), TIMADMIN_STATUS_USERSIG, err);
            CHECK(err != NULL && strcmp(timadmin_error_usersig_reason(err), "malformed") == 0);
            reset_error(&err);
        }
    }
    /* error_out may be NULL */
    CHECK(timadmin_decode_usersig("garbage!!", &claims, NULL) == TIMADMIN_STATUS_USERSIG);
    CHECK(claims == NULL);

    /* invalid UTF-8 and NULL parameters */
    CHECK_STATUS(timadmin_decode_usersig(INVALID_UTF8, &claims, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "usersig");
    reset_error(&err);
    CHECK_STATUS(timadmin_decode_usersig(NULL, &claims, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "usersig");
    reset_error(&err);
    CHECK_STATUS(timadmin_decode_usersig("x", NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "claims_out");
    reset_error(&err);
    CHECK(claims == NULL);
    timadmin_unverified_claims_free(NULL);

    return test_finish("test_usersig_decode");
}
