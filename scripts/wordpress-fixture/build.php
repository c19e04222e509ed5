<?php
// Step 2 of the fixture site: its people, sections, pictures, stories, pages and comments — all
// invented. Run after install.php; $argv[1] is the folder where make-images.php drew the pictures.
// Prints a summary of the IDs it made.
if ($argc < 2) { fwrite(STDERR, "usage: php build.php IMAGES_DIR\n"); exit(2); }
require __DIR__ . '/lib.php';
$img = rtrim($argv[1], '/');
global $wp_rewrite, $wpdb;

$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');

// People.
function fx_user($login, $first, $last, $display, $email, $role, $bio) {
    $id = wp_insert_user(array('user_login' => $login, 'user_pass' => 'fixture-password-' . $login,
        'user_email' => $email, 'first_name' => $first, 'last_name' => $last, 'display_name' => $display,
        'nickname' => $display, 'role' => $role, 'description' => $bio));
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    return $id;
}
$harriet = fx_user('hpatel', 'Harriet', 'Patel', 'Harriet Patel', 'harriet.patel@example.org', 'editor',
    'News editor. Covers the council and anything with a budget attached.');
$tomasz = fx_user('tnowak', 'Tomasz', 'Nowak', 'Tomasz Nowak', 'tomasz.nowak@example.org', 'author',
    'Sport and transport reporter.');
$aoife = fx_user('aoife', 'Aoife', 'Ní Bhriain', 'Aoife Ní Bhriain', 'aoife.nibhriain@example.org', 'author',
    'Features writer; looks after the twin-town pages.');

// Sections (categories, one nested) — term 1 is WordPress's own "Uncategorized".
$cat = array();
$cat['politics'] = wp_insert_term('Politics', 'category', array('slug' => 'politics',
    'description' => 'Council, elections and the people who run things.'))['term_id'];
$cat['sport'] = wp_insert_term('Sport', 'category', array('slug' => 'sport'))['term_id'];
$cat['local'] = wp_insert_term('Local', 'category', array('slug' => 'local',
    'description' => 'News from Riverside and the villages.'))['term_id'];
$cat['transport'] = wp_insert_term('Transport', 'category', array('slug' => 'transport',
    'parent' => $cat['local']))['term_id'];
$cat['business'] = wp_insert_term('Business & Shops', 'category', array('slug' => 'business'))['term_id'];

// 1. Council budget: block content with every common block, a picture from the library, excerpt.
$p1_date = '2026-05-11 09:15:00';
$p1 = fx_open('post', $harriet, $p1_date);
$town_hall = fx_upload("$img/town-hall.jpg", $p1, $harriet, '2026-05-11 08:52:10', 'Riverside town hall',
    'The town hall on Bridge Road.', 'Riverside town hall seen from the river');
$p1_content = fx_blocks(array(
    fx_p('Riverside District Council has approved a <strong>£4.2 million</strong> package to strengthen flood defences along the River Wend, after a meeting at the <a href="http://news.example.org/about/">town hall</a> that ran until nearly midnight on Monday.'),
    fx_image($town_hall, 'Riverside town hall seen from the river', 'The town hall, where councillors met until late.'),
    fx_h('What the money pays for'),
    fx_list(array('Raising the embankment between Mill Lane and the old ferry steps',
        'New pumps at the Wend Street outfall', 'A flood warning siren for the Lower Town')),
    fx_h('When the work starts', 3),
    fx_list(array('Ground surveys in June', 'Embankment works from September', 'Pumps in service by March 2027'), true),
    fx_quote('We cannot keep asking people on Mill Lane to carry their furniture upstairs every winter.',
        'Cllr Dana Okafor, cabinet member for the environment'),
    fx_p('Opposition councillors <em>welcomed</em> the plan but asked how much of the cost would fall on council tax. The full papers are in the <a href="https://example.org/riverside/council/2026-05-11-minutes.pdf">meeting minutes</a>.'),
));
fx_save($p1, array('post_status' => 'publish', 'post_date' => $p1_date,
    'post_title' => 'Council approves £4.2m budget for riverside flood defences',
    'post_content' => $p1_content,
    'post_excerpt' => 'Embankments, pumps and a warning siren: what the flood money buys, and when.',
    'post_category' => array($cat['politics'], $cat['local']),
    'tags_input' => array('council', 'budget', 'flooding')));
set_post_thumbnail($p1, $town_hall);

// 2. Football: YouTube embed block, a list saved by an older editor, no excerpt.
$p2_date = '2026-05-12 21:40:00';
$p2 = fx_open('post', $tomasz, $p2_date);
$pitch = fx_upload("$img/riverside-fc.jpg", $p2, $tomasz, '2026-05-12 21:31:44', 'Riverside FC ground',
    '', 'Floodlit football pitch at Meadow Park');
fx_save($p2, array('post_status' => 'publish', 'post_date' => $p2_date,
    'post_title' => 'Riverside FC clinch promotion with late winner',
    'post_content' => fx_blocks(array(
        fx_p('Riverside FC are going up. A header from captain <strong>Kofi Mensah</strong> in the 89th minute gave them a 2–1 win over Hartfield Town at Meadow Park and a place in the Southern League next season.'),
        fx_youtube('https://www.youtube.com/watch?v=Xk3vR9pLm2Q', 'Highlights from Saturday’s match.'),
        fx_h('How the season went'),
        fx_old_list(array('Won 24, drew 6, lost 8', 'Top scorer: Kofi Mensah (19)', 'Biggest crowd: 1,412 against Hartfield')),
        fx_p('Manager Rosa Clarke said the squad would “enjoy tonight and think about next year on Monday”.'),
    )),
    'post_category' => array($cat['sport']),
    'tags_input' => array('football', 'Riverside FC')));
set_post_thumbnail($p2, $pitch);

// 3. Non-ASCII title, published at 00:30 local time: its GMT date is the day before.
$p3_date = '2026-05-14 00:30:00';
$p3 = fx_open('post', $aoife, $p3_date);
$cafe = fx_upload("$img/cafe-terrace.jpg", $p3, $aoife, '2026-05-13 23:58:03', 'Café Limmatblick terrace',
    'The terrace of Café Limmatblick, with the Alps behind.', 'Café terrace with red and white awning');
fx_save($p3, array('post_status' => 'publish', 'post_date' => $p3_date,
    'post_title' => 'Café reopens in Zürich',
    'post_content' => fx_blocks(array(
        fx_p('Café Limmatblick, the Zürich coffee house that hosted Riverside’s twinning delegation every spring since 1998, has reopened after a two-year renovation.'),
        fx_p('Owner Beatrice Känzig says the menu is unchanged — <em>Kaffee crème</em>, Birchermüesli and the famous hazelnut Gipfeli — but the prices are now in CHF <strong>and</strong> €.'),
        fx_quote('Grüezi, Riverside! The first coffee is on us when you visit.', 'Beatrice Känzig'),
        fx_p('The twinning association’s next trip leaves on 12 September; details from the <a href="http://news.example.org/contact/">newsdesk</a>.'),
    )),
    'post_excerpt' => 'Riverside’s favourite Zürich coffee house is back — with the same Gipfeli.',
    'post_category' => array($cat['local'], $cat['business']),
    'tags_input' => array('Zürich', 'cafés', 'twinning')));
set_post_thumbnail($p3, $cafe);

// 4. Classic-editor content: no <p>, shortcodes ([caption], [gallery], [embed], a plugin's).
$p4_date = '2026-05-15 08:00:00';
$p4 = fx_open('post', $harriet, $p4_date);
$th_url = wp_get_attachment_url($town_hall);
$p4_content = "Several roads in the town centre will close this weekend for resurfacing &amp; drainage work, the council has said.\n\n"
    . "[caption id=\"attachment_$town_hall\" align=\"alignnone\" width=\"800\"]<img class=\"size-full wp-image-$town_hall\" src=\"$th_url\" alt=\"Riverside town hall\" width=\"800\" height=\"500\" /> Diversions will run past the town hall.[/caption]\n\n"
    . "<strong>Closed from 7pm on Friday:</strong>\n<ul>\n \t<li>High Street, between Bridge Road and Market Place</li>\n \t<li>Mill Lane</li>\n</ul>\n"
    . "Buses will use Wend Street instead. Pictures from around the affected streets:\n\n"
    . "[gallery ids=\"$town_hall,$pitch,$cafe\"]\n\n"
    . "The council explains the works in this video:\n\n"
    . "[embed]https://www.youtube.com/watch?v=abc123[/embed]\n\n"
    . "Questions about the closures? Send them with the form below.\n\n"
    . "[contact-form-7 id=\"12\" title=\"Road works questions\"]";
fx_save($p4, array('post_status' => 'publish', 'post_date' => $p4_date,
    'post_title' => 'Road closures: what you need to know this weekend',
    'post_content' => $p4_content,
    'post_category' => array($cat['transport']),
    'tags_input' => array('roads', 'weekend')));

// 5. Title with an apostrophe, double quotes and an ampersand; sticky on the front page.
$p5_date = '2026-05-16 10:05:00';
$p5 = fx_open('post', $tomasz, $p5_date);
fx_save($p5, array('post_status' => 'publish', 'post_date' => $p5_date,
    'post_title' => 'Mayor\'s "no going back" pledge on bus lanes & cycle routes',
    'post_content' => fx_blocks(array(
        fx_p('The mayor, Cllr Peter Haines, told a packed public meeting that the new bus lanes on Bridge Road are “here to stay” despite a petition signed by 3,000 people.'),
        fx_p('“There is <em>no going back</em>,” he said. Cycle routes to the station & the hospital will follow in 2027. <a href="http://news.example.org/2026/05/15/road-closures-what-you-need-to-know-this-weekend/">This weekend’s road closures</a> are not related.'),
    )),
    'post_category' => array($cat['politics'], $cat['transport']),
    'tags_input' => array('council', 'cycling', 'buses')));
stick_post($p5);

// 6. A draft (no slug yet, no GMT date), 7. pending review, 8. scheduled for 2027, 9. private.
$p6 = fx_open('post', $aoife, '2026-05-18 14:00:00');
fx_save($p6, array('post_status' => 'draft', 'post_date' => '2026-05-18 14:00:00',
    'post_title' => 'Summer fete line-up announced',
    'post_content' => fx_blocks(array(fx_p('Headliners TBC. Ask Harriet about the brass band.'))),
    'post_category' => array($cat['local'])));
$p7 = fx_open('post', $tomasz, '2026-05-19 11:20:00');
fx_save($p7, array('post_status' => 'pending', 'post_date' => '2026-05-19 11:20:00',
    'post_title' => 'Library opening hours to change from June',
    'post_content' => fx_blocks(array(fx_p('Riverside Library will open later on Mondays and stay open until 8pm on Thursdays from 1 June.'))),
    'post_category' => array($cat['local']),
    'tags_input' => array('library')));
$p8 = fx_open('post', $harriet, '2027-04-11 09:00:00');
fx_save($p8, array('post_status' => 'future', 'post_date' => '2027-04-11 09:00:00',
    'post_title' => 'Marathon route revealed for 2027 race',
    'post_content' => fx_blocks(array(fx_p('The Riverside Marathon will start and finish at Meadow Park for the first time.'))),
    'post_category' => array($cat['sport']),
    'tags_input' => array('running')));
if (get_post_status($p8) !== 'future') {
    fwrite(STDERR, "the scheduled story's date (2027-04-11) is no longer in the future: move it later in build.php\n");
    exit(1);
}
$p9 = fx_open('post', $harriet, '2026-05-17 16:45:00');
fx_save($p9, array('post_status' => 'private', 'post_date' => '2026-05-17 16:45:00',
    'post_title' => 'Election night rota (staff only)',
    'post_content' => fx_blocks(array(fx_p('Harriet: count centre. Tomasz: results desk. Aoife: social media until 2am.')))));

// 10. Published, then moved to the bin.
$p10 = fx_open('post', $aoife, '2026-05-13 07:00:00');
fx_save($p10, array('post_status' => 'publish', 'post_date' => '2026-05-13 07:00:00',
    'post_title' => 'Weather warning for Thursday',
    'post_content' => fx_blocks(array(fx_p('A yellow warning for heavy rain covers the whole valley on Thursday.'))),
    'post_category' => array($cat['local']),
    'tags_input' => array('weather')));
wp_trash_post($p10);

// Pages: About with a child (Team), Contact, Privacy policy.
$about = fx_open('page', 1, '2026-05-01 12:00:00');
fx_save($about, array('post_status' => 'publish', 'post_date' => '2026-05-01 12:00:00', 'post_title' => 'About',
    'post_content' => fx_blocks(array(
        fx_p('The <strong>Riverside Gazette</strong> is an independent news site for Riverside and the Wend valley, written by three people and a lot of readers.'),
        fx_p('Tips, corrections and complaints: see <a href="http://news.example.org/contact/">Contact</a>.'))),
    'menu_order' => 0));
$team = fx_open('page', 1, '2026-05-01 12:10:00');
fx_save($team, array('post_status' => 'publish', 'post_date' => '2026-05-01 12:10:00', 'post_title' => 'Team',
    'post_parent' => $about, 'menu_order' => 1,
    'post_content' => fx_blocks(array(fx_list(array('<strong>Harriet Patel</strong> — news editor',
        '<strong>Tomasz Nowak</strong> — sport and transport', '<strong>Aoife Ní Bhriain</strong> — features'))))));
$contact = fx_open('page', $harriet, '2026-05-01 12:20:00');
fx_save($contact, array('post_status' => 'publish', 'post_date' => '2026-05-01 12:20:00', 'post_title' => 'Contact',
    'menu_order' => 2,
    'post_content' => fx_blocks(array(fx_p('Email <a href="mailto:newsdesk@example.org">newsdesk@example.org</a> or use the form.'),
        "<!-- wp:shortcode -->\n[contact-form-7 id=\"12\" title=\"Contact\"]\n<!-- /wp:shortcode -->"))));
$privacy = fx_open('page', 1, '2026-05-01 12:30:00');
fx_save($privacy, array('post_status' => 'publish', 'post_date' => '2026-05-01 12:30:00', 'post_title' => 'Privacy policy',
    'menu_order' => 3,
    'post_content' => fx_blocks(array(fx_h('Who we are'), fx_p('Our website address is: http://news.example.org.'),
        fx_h('Comments'), fx_p('When you leave a comment we keep your name, email address, IP address and browser string to help spot spam.')))));
update_option('wp_page_for_privacy_policy', $privacy);

// Comments. Threads three deep, every moderation state, a pingback and a trackback.
$c = array();
$c[1] = fx_comment($p1, 0, array('name' => 'Margaret Ellis', 'email' => 'm.ellis@example.net', 'ip' => '198.51.100.23',
    'date' => '2026-05-11 10:02:11', 'text' => 'About time. Our cellar on Mill Lane flooded twice last winter.'));
$c[2] = fx_comment($p1, $c[1], array('name' => 'Harriet Patel', 'email' => 'harriet.patel@example.org', 'user' => $harriet,
    'url' => '', 'ip' => '203.0.113.5', 'date' => '2026-05-11 10:40:00',
    'text' => 'Thanks Margaret — we are planning a follow-up with Mill Lane residents. Would you be happy to talk to us?'));
$c[3] = fx_comment($p1, $c[2], array('name' => 'Margaret Ellis', 'email' => 'm.ellis@example.net', 'ip' => '198.51.100.23',
    'date' => '2026-05-11 11:05:37', 'text' => 'Yes, happy to. You have my email.'));
$c[4] = fx_comment($p1, 0, array('name' => 'Dev Sharma', 'email' => 'dev@devsharma.example.org', 'url' => 'https://devsharma.example.org/',
    'ip' => '2001:db8::7', 'date' => '2026-05-11 12:15:00', 'approved' => 0,
    'text' => "Where is the money coming from? The article doesn't say whether it is borrowed."));
$c[5] = fx_comment($p1, 0, array('name' => 'Best Watches Online', 'email' => 'sales@cheap-watches.example.com',
    'url' => 'http://cheap-watches.example.com/', 'ip' => '192.0.2.200', 'date' => '2026-05-11 13:00:00', 'approved' => 0,
    'text' => 'Great article!!! Visit our shop for the best replica watches http://cheap-watches.example.com/'));
wp_spam_comment($c[5]);
$c[6] = fx_comment($p1, 0, array('name' => 'angryofriverside', 'email' => 'angry@example.net', 'ip' => '192.0.2.77',
    'date' => '2026-05-11 22:30:00', 'text' => 'This council is useless and so is this paper.'));
wp_trash_comment($c[6]);
$c[7] = fx_comment($p1, 0, array('name' => 'Valley Watchdog &raquo; Flood money: what the council isn’t saying',
    'email' => '', 'url' => 'http://valleywatchdog.example.net/2026/05/12/flood-money/', 'ip' => '198.51.100.99',
    'date' => '2026-05-12 08:14:00', 'type' => 'pingback', 'agent' => 'WordPress/6.1.1; http://valleywatchdog.example.net',
    'text' => '[&#8230;] the Riverside Gazette reported on Monday that the council had approved the flood package [&#8230;]'));

$c[8] = fx_comment($p2, 0, array('name' => 'Seán Ó Briain', 'email' => 'sean.obriain@example.net', 'ip' => '198.51.100.40',
    'date' => '2026-05-12 22:05:00', 'text' => 'What a finish! I was in the North Stand and the place went mad.'));
$c[9] = fx_comment($p2, $c[8], array('name' => 'Jürgen Weiß', 'email' => 'juergen@example.de', 'ip' => '198.51.100.41',
    'url' => 'https://juergen.example.de/', 'date' => '2026-05-12 22:31:00',
    'text' => 'Great goal. There is a better angle <a href="https://example.com/clips/mensah-header">here</a> — <em>watch the keeper</em>.'));
$c[10] = fx_comment($p2, $c[9], array('name' => 'Zoë Martin', 'email' => 'zoe.martin@example.net', 'ip' => '203.0.113.61',
    'date' => '2026-05-13 07:45:00', 'text' => "Thanks for the link!\nThe keeper never saw it."));
$c[11] = fx_comment($p2, 0, array('name' => 'Non-League Notes', 'email' => '', 'url' => 'http://nonleaguenotes.example.net/promotion-round-up/',
    'ip' => '203.0.113.90', 'date' => '2026-05-13 09:00:00', 'type' => 'trackback', 'agent' => 'Non-League Notes trackback',
    'text' => "<strong>Promotion round-up: Riverside go up</strong>\n\nRiverside FC's late winner against Hartfield sealed a second promotion in three years..."));
$c[12] = fx_comment($p2, 0, array('name' => '山田 花子', 'email' => 'hanako@example.jp', 'ip' => '203.0.113.62',
    'date' => '2026-05-13 10:10:00', 'approved' => 0, 'text' => 'Congratulations from the supporters’ club in Osaka!'));

$c[13] = fx_comment($p3, 0, array('name' => 'François Dubois', 'email' => 'f.dubois@example.fr', 'ip' => '198.51.100.120',
    'date' => '2026-05-14 09:12:00', 'text' => 'J’y étais samedi — the Kaffee crème is still the best in Zürich.'));
$c[14] = fx_comment($p3, $c[13], array('name' => 'Aoife Ní Bhriain', 'email' => 'aoife.nibhriain@example.org', 'user' => $aoife,
    'ip' => '203.0.113.5', 'date' => '2026-05-14 09:40:00', 'text' => 'Merci François! Did you try the Gipfeli?'));
$c[15] = fx_comment($p3, 0, array('name' => 'SEO Expert', 'email' => 'seo@spam.example.com', 'url' => 'http://spam.example.com/',
    'ip' => '192.0.2.201', 'date' => '2026-05-14 11:00:00', 'approved' => 'spam', 'text' => 'Rank #1 on search engines. Click here.'));

// Let "cron" run, then pin every time WordPress took from the clock.
fx_run_pings();
foreach ($wpdb->get_col("SELECT ID FROM $wpdb->posts WHERE post_type <> 'revision'") as $id) { fx_set_modified((int) $id); }
fx_pin_trash_times('1779100000');

$out = array('users' => compact('harriet', 'tomasz', 'aoife'), 'categories' => $cat,
    'attachments' => array('town_hall' => $town_hall, 'pitch' => $pitch, 'cafe' => $cafe),
    'posts' => compact('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10'),
    'pages' => compact('about', 'team', 'contact', 'privacy'), 'comments' => $c);
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), "\n";
