/*
 * The shared cross-language UserSig vectors (tests/vectors/usersig.json, turned into
 * usersig_vectors.h by gen_vectors_h.py): tokens built by an independent implementation in the
 * official SDKs' shapes must verify with the right claims, and each bad token must fail with
 * TIMADMIN_STATUS_USERSIG for the named reason.
 */
#include "common.h"
#include "usersig_vectors.h"

int main(void) {
    size_t i;
    for (i = 0; i < N_VALID_VECTORS; i++) {
        const usersig_vector *v = &VALID_VECTORS[i];
        timadmin_claims *verified = NULL;
        timadmin_error *err = NULL;
        CHECK_STATUS(timadmin_verify_usersig(v->sdkappid, v->key, v->identifier, v->usersig, v->userbuf,
                                             v->userbuf_len, &verified, &err),
                     TIMADMIN_STATUS_OK, err);
        if (verified != NULL) {
            const timadmin_claims *c = verified;
            CHECK_STREQ(c->identifier, v->identifier);
            CHECK(c->sdkappid == v->sdkappid);
            CHECK(c->time == v->time);
            CHECK(c->expire == v->expire);
            CHECK(c->has_userbuf == (v->userbuf != NULL));
            CHECK(c->userbuf_len == v->userbuf_len);
            CHECK(v->userbuf_len == 0 || memcmp(c->userbuf, v->userbuf, v->userbuf_len) == 0);
            timadmin_claims_free(verified);
        } else {
            fprintf(stderr, "vector %s did not verify\n", v->name);
        }
    }
    for (i = 0; i < N_INVALID_VECTORS; i++) {
        const usersig_vector *v = &INVALID_VECTORS[i];
        timadmin_claims *verified = NULL;
        timadmin_error *err = NULL;
        char reason[64];
        size_t j;
        CHECK_STATUS(timadmin_verify_usersig(v->sdkappid, v->key, v->identifier, v->usersig, v->userbuf,
                                             v->userbuf_len, &verified, &err),
                     TIMADMIN_STATUS_USERSIG, err);
        CHECK(verified == NULL);
        /* "signature_mismatch" -> "signature mismatch", as the message words it */
        strncpy(reason, v->error, sizeof reason - 1);
        reason[sizeof reason - 1] = '\0';
        for (j = 0; reason[j] != '\0'; j++) {
            if (reason[j] == '_') {
                reason[j] = ' ';
            }
        }
        if (err != NULL) {
            const char *msg = timadmin_error_message(err);
            CHECK(strstr(msg, reason) != NULL);
            CHECK(strstr(msg, v->key) == NULL);
            if (strstr(msg, reason) == NULL) {
                fprintf(stderr, "vector %s: message \"%s\" does not name \"%s\"\n", v->name, msg, reason);
            }
        }
        timadmin_error_free(err);
    }
    printf("%zu valid and %zu invalid vectors\n", (size_t)N_VALID_VECTORS, (size_t)N_INVALID_VECTORS);
    return test_finish("test_vectors");
}
