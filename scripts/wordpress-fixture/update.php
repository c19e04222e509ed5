<?php
// Step 3: the same site a week later, for the second export. One published story is corrected
// (title and body), one story is added, the held comment is approved and two comments arrive
// (one of them a reply to an existing comment). Prints the IDs it touched.
require __DIR__ . '/lib.php';
global $wpdb;

$p1 = get_page_by_path('council-approves-4-2m-budget-for-riverside-flood-defences', OBJECT, 'post');
$harriet = get_user_by('login', 'hpatel')->ID;
$tomasz = get_user_by('login', 'tnowak')->ID;

// The correction: the figure was wrong. The slug stays (WordPress keeps a published post's slug).
$content = str_replace('<strong>£4.2 million</strong>', '<strong>£4.5 million</strong>', $p1->post_content);
$content .= "\n\n" . fx_p('<strong>Update, 20 May:</strong> an earlier version of this story gave the total as £4.2m. The council has since confirmed that £300,000 for the warning siren comes on top of the original package.');
wp_update_post(wp_slash(array('ID' => $p1->ID,
    'post_title' => 'Council approves £4.5m budget for riverside flood defences',
    'post_content' => $content)));
fx_set_modified($p1->ID, '2026-05-20 10:12:00');

// A new story.
$date = '2026-05-21 07:30:00';
$new = fx_open('post', $tomasz, $date);
fx_save($new, array('post_status' => 'publish', 'post_date' => $date,
    'post_title' => 'Wend Bridge reopens after six weeks of repairs',
    'post_content' => fx_blocks(array(
        fx_p('Wend Bridge reopened to traffic at 6am on Thursday, a week earlier than planned.'),
        fx_p('Buses return to their usual routes from Saturday. See <a href="http://news.example.org/2026/05/15/road-closures-what-you-need-to-know-this-weekend/">last week’s closures</a> for the streets that were affected.'),
        fx_list(array('Weight limit: 18 tonnes', 'Footpath on the north side stays closed until June')),
    )),
    'post_category' => array(get_category_by_slug('transport')->term_id),
    'tags_input' => array('roads', 'bridges')));

// Moderation: the question held for review is let through, and the news editor answers it.
$held = (int) $wpdb->get_var("SELECT comment_ID FROM $wpdb->comments WHERE comment_author = 'Dev Sharma'");
wp_set_comment_status($held, 'approve');
$reply = fx_comment($p1->ID, $held, array('name' => 'Harriet Patel', 'email' => 'harriet.patel@example.org', 'user' => $harriet,
    'ip' => '203.0.113.5', 'date' => '2026-05-20 10:20:00',
    'text' => 'Good question, Dev: it is mostly borrowing, repaid over 25 years. We have updated the story with the new total.'));
$first = fx_comment($new, 0, array('name' => 'Owen Pryce', 'email' => 'owen.pryce@example.net', 'ip' => '198.51.100.77',
    'url' => 'http://owenpryce.example.net', 'date' => '2026-05-21 08:02:00',
    'text' => 'Drove over it this morning. <em>Much</em> smoother than before.'));

fx_run_pings();
fx_set_modified($new);
fx_pin_trash_times('1779100000');

echo json_encode(array('edited_post' => $p1->ID, 'new_post' => $new, 'approved_comment' => $held,
    'new_comments' => array('reply' => $reply, 'top_level' => $first)), JSON_PRETTY_PRINT), "\n";
