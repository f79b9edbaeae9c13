/* One client shared by several threads calling concurrently: every endpoint and both paging
 * modes, with every result checked. */
#include <pthread.h>

#include "common.h"

#define THREADS 8
#define ROUNDS 5

typedef struct {
    const timadmin_client *client;
    int index;
    int failures;
    int members_seen;
} job;

static bool count_member(void *userdata, const timadmin_group_member *m) {
    job *j = userdata;
    if (m->member_account == NULL) {
        j->failures++;
    }
    j->members_seen++;
    return true;
}

static void *worker(void *arg) {
    job *j = arg;
    timadmin_error *err = NULL;
    for (int round = 0; round < ROUNDS; round++) {
        timadmin_get_group_member_info_request *req = test_member_info_request((j->index % 2) ? "@TGS#2DEMOPUB" : "@TGS#2BIGPUBLIC");
        timadmin_get_group_member_info_response *result = NULL;
        MUST(timadmin_get_group_member_info_request_set_limit(req, 3, NULL));
        timadmin_get_group_member_info_request *missing = test_member_info_request("@TGS#2NOSUCHGROUP");
        MUST(timadmin_get_group_member_info_request_set_limit(missing, 3, NULL));
        int ok = timadmin_client_get_group_member_info(j->client, req, &result, &err) == TIMADMIN_STATUS_OK;
        timadmin_get_group_member_info_request_free(req);
        if (!ok) {
            timadmin_get_group_member_info_request_free(missing);
            fprintf(stderr, "thread %d: %s\n", j->index, timadmin_error_message(err));
            reset_error(&err);
            j->failures++;
            continue;
        }
        const timadmin_get_group_member_info_response *r = result;
        if (r->member_list_len != 3 || r->member_num != ((j->index % 2) ? 5u : 250u)) {
            j->failures++;
        }
        timadmin_get_group_member_info_response_free(result);

        timadmin_get_group_muted_account_request *mreq = test_muted_request("@TGS#2DEMOPUB");
        timadmin_get_group_muted_account_response *muted = NULL;
        int muted_ok = timadmin_client_get_group_muted_account(j->client, mreq, &muted, &err) == TIMADMIN_STATUS_OK;
        timadmin_get_group_muted_account_request_free(mreq);
        if (!muted_ok || muted->muted_account_list_len != 2) {
            reset_error(&err);
            j->failures++;
        }
        timadmin_get_group_muted_account_response_free(muted);

        /* errors are per call: another thread's failure never leaks into this one */
        result = NULL;
        if (timadmin_client_get_group_member_info(j->client, missing, &result, &err) != TIMADMIN_STATUS_API ||
            timadmin_error_api_code(err) != 10010 || result != NULL) {
            j->failures++;
        }
        timadmin_get_group_member_info_request_free(missing);
        reset_error(&err);
    }
    /* a whole group by callback, and by pager */
    if (timadmin_client_for_each_member(j->client, "@TGS#_big", NULL, count_member, j, &err) != TIMADMIN_STATUS_OK) {
        reset_error(&err);
        j->failures++;
    }
    timadmin_member_pager *pager = NULL;
    if (timadmin_client_members(j->client, "@TGS#2BIGPUBLIC", NULL, &pager, &err) == TIMADMIN_STATUS_OK) {
        timadmin_member_page *page = NULL;
        while (timadmin_member_pager_next_page(pager, &page, &err) == TIMADMIN_STATUS_OK && page != NULL) {
            j->members_seen += (int)page->members_len;
            timadmin_member_page_free(page);
            page = NULL;
        }
        if (err != NULL || !timadmin_member_pager_is_done(pager)) {
            reset_error(&err);
            j->failures++;
        }
        timadmin_member_pager_free(pager);
    } else {
        reset_error(&err);
        j->failures++;
    }
    return NULL;
}

int main(void) {
    timadmin_client *client = test_client();
    pthread_t threads[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i].client = client;
        jobs[i].index = i;
        jobs[i].failures = 0;
        jobs[i].members_seen = 0;
        CHECK(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].failures == 0);
        CHECK(jobs[i].members_seen == 500);
    }
    timadmin_client_free(client);
    return test_finish("test_threads");
}
