/*
 * libtimadmin quickstart: list a group's members (paging through all of them), its muted
 * members, and rename it.
 *
 * Configuration comes from the environment, like any timadmin application:
 *   TIM_SDKAPPID, TIM_SECRET_KEY (or TIM_USERSIG), TIM_IDENTIFIER, TIM_REGION or TIM_BASE_URL.
 *
 * Usage: quickstart [GROUP_ID]     (default: @TGS#2DEMOPUB from the emulator's demo fixture)
 * See README.md for building it and running it against the local emulator.
 */
#include <inttypes.h>
#include <stdio.h>

#include <timadmin.h>

/* Prints a failure and frees its error object. */
static int report(const char *what, timadmin_status status, timadmin_error *err) {
    fprintf(stderr, "%s failed: %s", what, timadmin_status_description((int)status));
    if (err != NULL) {
        fprintf(stderr, ": %s", timadmin_error_message(err));
        if (status == TIMADMIN_STATUS_API) {
            fprintf(stderr, " [ErrorCode %" PRId64 "]", timadmin_error_api_code(err));
        }
    }
    fprintf(stderr, "\n");
    timadmin_error_free(err);
    return 1;
}

/* Called once per member while paging; userdata counts them. Returning false would stop. */
static bool print_member(void *userdata, const timadmin_group_member *m) {
    uint64_t *count = userdata;
    *count += 1;
    const char *role = m->role == TIMADMIN_ROLE_OTHER ? m->role_other : timadmin_role_as_str(m->role);
    printf("  %-12s %-7s joined %" PRIu64 "%s\n", m->member_account, role ? role : "-",
           m->has_join_time ? m->join_time : 0, m->has_mute_until && m->mute_until > 0 ? " (muted)" : "");
    return true;
}

int main(int argc, char **argv) {
    const char *group_id = argc > 1 ? argv[1] : "@TGS#2DEMOPUB";
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    timadmin_status st;

    st = timadmin_client_new_from_env(&client, &err);
    if (st != TIMADMIN_STATUS_OK) {
        return report("timadmin_client_new_from_env", st, err);
    }

    /* 1. Every member of the group, one page in memory at a time. */
    printf("members of %s:\n", group_id);
    uint64_t count = 0;
    st = timadmin_client_for_each_member(client, group_id, NULL, print_member, &count, &err);
    if (st != TIMADMIN_STATUS_OK) {
        timadmin_client_free(client);
        return report("timadmin_client_for_each_member", st, err);
    }
    printf("%" PRIu64 " members\n", count);

    /* 2. Its muted members. */
    timadmin_get_group_muted_account_request *muted_req = NULL;
    timadmin_get_group_muted_account_response *muted = NULL;
    st = timadmin_get_group_muted_account_request_new(group_id, &muted_req, &err);
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_get_group_muted_account(client, muted_req, &muted, &err);
        timadmin_get_group_muted_account_request_free(muted_req);
    }
    if (st != TIMADMIN_STATUS_OK) {
        timadmin_client_free(client);
        return report("timadmin_client_get_group_muted_account", st, err);
    }
    const timadmin_get_group_muted_account_response *r = muted;
    printf("muted members of %s: %zu\n", r->group_id, r->muted_account_list_len);
    for (size_t i = 0; i < r->muted_account_list_len; i++) {
        printf("  %s until %" PRIu64 "\n", r->muted_account_list[i].member_account,
               r->muted_account_list[i].muted_until);
    }
    timadmin_get_group_muted_account_response_free(muted);

    /* 3. Change its introduction (only the fields that are set are sent). */
    timadmin_modify_group_base_info_request *modify = NULL;
    st = timadmin_modify_group_base_info_request_new(group_id, &modify, &err);
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_modify_group_base_info_request_set_introduction(modify, "Managed with libtimadmin", &err);
    }
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_modify_group_base_info(client, modify, &err);
    }
    timadmin_modify_group_base_info_request_free(modify);
    if (st != TIMADMIN_STATUS_OK) {
        timadmin_client_free(client);
        return report("timadmin_client_modify_group_base_info", st, err);
    }
    printf("introduction updated\n");

    timadmin_client_free(client);
    return 0;
}
