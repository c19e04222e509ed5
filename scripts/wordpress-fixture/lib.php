<?php
// Helpers shared by build.php and update.php: each goes through WordPress's own API the way the
// editor and the media library do, so that what lands in the database (and the export) is what a
// real site holds.
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/post.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/comment.php';

wp_set_current_user(1); // the admin: may post unfiltered HTML, as editors on a real site can

/** Serialises blocks the way the block editor saves them: one blank line between blocks. */
function fx_blocks(array $blocks) { return implode("\n\n", $blocks); }
function fx_p($html) { return "<!-- wp:paragraph -->\n<p>$html</p>\n<!-- /wp:paragraph -->"; }
function fx_h($text, $level = 2) {
    $attrs = $level === 2 ? '' : ' {"level":' . $level . '}';
    return "<!-- wp:heading$attrs -->\n<h$level>$text</h$level>\n<!-- /wp:heading -->";
}
/** A list the way WordPress 6.1 saves it: each item an inner wp:list-item block. */
function fx_list(array $items, $ordered = false) {
    $tag = $ordered ? 'ol' : 'ul';
    $attrs = $ordered ? ' {"ordered":true}' : '';
    $lis = array();
    foreach ($items as $i) { $lis[] = "<!-- wp:list-item -->\n<li>$i</li>\n<!-- /wp:list-item -->"; }
    return "<!-- wp:list$attrs -->\n<$tag>" . implode("\n\n", $lis) . "</$tag>\n<!-- /wp:list -->";
}
/** A list as editors before 6.1 saved it (items are plain <li>, no inner blocks). */
function fx_old_list(array $items) {
    return "<!-- wp:list -->\n<ul><li>" . implode('</li><li>', $items) . "</li></ul>\n<!-- /wp:list -->";
}
function fx_quote($text, $cite) {
    return "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\">" . fx_p($text)
        . "<cite>$cite</cite></blockquote>\n<!-- /wp:quote -->";
}
function fx_image($att_id, $alt, $caption) {
    $url = wp_get_attachment_url($att_id);
    return "<!-- wp:image {\"id\":$att_id,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n"
        . "<figure class=\"wp-block-image size-large\"><img src=\"$url\" alt=\"$alt\" class=\"wp-image-$att_id\"/>"
        . "<figcaption class=\"wp-element-caption\">$caption</figcaption></figure>\n<!-- /wp:image -->";
}
function fx_youtube($url, $caption) {
    return "<!-- wp:embed {\"url\":\"$url\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,"
        . "\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n"
        . "<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\">"
        . "<div class=\"wp-block-embed__wrapper\">\n$url\n</div><figcaption class=\"wp-element-caption\">$caption</figcaption></figure>\n<!-- /wp:embed -->";
}

/**
 * Opens a new post the way the editor does (an auto-draft, so its guid is ?p=ID), dated $date
 * (site-local time) so that uploads made for it land in that month's folder.
 */
function fx_open($type, $author, $date) {
    $id = wp_insert_post(array('post_type' => $type, 'post_status' => 'auto-draft', 'post_title' => 'Auto Draft',
        'post_author' => $author, 'post_date' => $date), true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    return $id;
}
/** Saves the post opened by fx_open() with its real fields (status, title, content, terms...). */
function fx_save($id, array $fields) {
    $fields['ID'] = $id;
    $fields['edit_date'] = true;
    $r = wp_update_post(wp_slash($fields), true);
    if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message() . "\n"); exit(1); }
    return $id;
}
/** Uploads a picture through the media library (sideload), attached to $parent. */
function fx_upload($src, $parent, $author, $date, $title, $caption, $alt, $description = '') {
    $tmp = wp_tempnam(basename($src));
    copy($src, $tmp);
    $att = media_handle_sideload(array('name' => basename($src), 'tmp_name' => $tmp), $parent, null, array(
        'post_title' => $title, 'post_excerpt' => $caption, 'post_content' => $description,
        'post_author' => $author, 'post_date' => $date));
    if (is_wp_error($att)) { fwrite(STDERR, $att->get_error_message() . "\n"); exit(1); }
    update_post_meta($att, '_wp_attachment_image_alt', $alt);
    return $att;
}
/** A comment as WordPress stores it; $date is site-local time. Returns the comment ID. */
function fx_comment($post, $parent, $c) {
    $data = array(
        'comment_post_ID' => $post,
        'comment_parent' => $parent,
        'comment_author' => $c['name'],
        'comment_author_email' => isset($c['email']) ? $c['email'] : '',
        'comment_author_url' => isset($c['url']) ? $c['url'] : '',
        'comment_author_IP' => isset($c['ip']) ? $c['ip'] : '192.0.2.10',
        'comment_date' => $c['date'],
        'comment_date_gmt' => get_gmt_from_date($c['date']),
        'comment_content' => $c['text'],
        'comment_approved' => isset($c['approved']) ? $c['approved'] : 1,
        'comment_type' => isset($c['type']) ? $c['type'] : 'comment',
        'comment_agent' => isset($c['agent']) ? $c['agent'] : 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
        'user_id' => isset($c['user']) ? $c['user'] : 0,
    );
    $id = wp_insert_comment(wp_slash($data));
    if (!$id) { fwrite(STDERR, "comment failed\n"); exit(1); }
    return $id;
}
/**
 * Gives every post its "last modified" time: $when (local) or, by default, its own date, so that
 * the export does not depend on the day the fixture was made.
 */
function fx_set_modified($id, $when = null) {
    global $wpdb;
    $p = get_post($id);
    $local = $when ? $when : $p->post_date;
    $wpdb->update($wpdb->posts, array('post_modified' => $local, 'post_modified_gmt' => get_gmt_from_date($local)),
        array('ID' => $id));
    clean_post_cache($id);
}
/** The trash timestamps WordPress records (for posts and comments), pinned to a fixed time. */
function fx_pin_trash_times($ts) {
    global $wpdb;
    $wpdb->update($wpdb->postmeta, array('meta_value' => $ts), array('meta_key' => '_wp_trash_meta_time'));
    $wpdb->update($wpdb->commentmeta, array('meta_value' => $ts), array('meta_key' => '_wp_trash_meta_time'));
}
/** Runs what WP-Cron would after publishing (pings, enclosures); the network is off, so these just finish. */
function fx_run_pings() {
    do_all_pings();
}
