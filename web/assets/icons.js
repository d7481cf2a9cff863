// The classic Icon enum drawn as inline SVG (24 x 24, stroked in the
// control's Color). Drawn for canvasfx: the six globe icons of the offline
// template, the icons the sample apps use, and the everyday rest of the enum.
// An icon is a list of path data; "F:" marks a filled part. The page builds
// the SVG elements from these strings with createElementNS, never from markup.
'use strict';
(() => {
  // Circles and ellipses as path data, so that an icon is paths only.
  const c = (cx, cy, r) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
  const e = (cx, cy, rx, ry) =>
    `M${cx - rx} ${cy}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0`;
  const dot = (cx, cy, r = 1.2) => 'F:' + c(cx, cy, r);

  // The globe of the offline template, full size and, for the badged states,
  // drawn smaller in the upper left to leave the lower right to a badge.
  const globe = [c(12, 12, 9), e(12, 12, 4, 9), 'M3 12h18M4.6 7.5h14.8M4.6 16.5h14.8'];
  const smallGlobe = [c(10, 10, 7), e(10, 10, 3, 7), 'M3 10h14M4.3 6.5h11.4M4.3 13.5h11.4'];

  const search = [c(10.5, 10.5, 6.5), 'M15.2 15.2l5.8 5.8'];
  const eye = ['M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z', c(12, 12, 3)];
  const star = 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3l-5.6 2.9 1.1-6.2L3 9.6l6.2-.9z';
  const document = ['M6 2h9l5 5v15H6z', 'M15 2v5h5'];
  const person = [c(12, 8, 4), 'M4 21a8 8 0 0 1 16 0'];
  const calendar = ['M3 5h18v16H3z', 'M3 10h18M8 3v4M16 3v4'];
  const thumb =
    'M7 10v11H3V10zM7 10l4-8a2 2 0 0 1 3.2 2.2L13 9h6a2 2 0 0 1 2 2.3l-1.4 7.4A2.8 2.8 0 0 1 17 21H7';
  const bookmark = 'M6 3h12v18l-6-4-6 4z';
  const filter = 'M3 4h18l-7 8v7l-4 2v-9z';
  const lock = ['M5 11h14v10H5z'];

  const icons = {
    Globe: globe,
    GlobeNotConnected: [...globe, 'M3 3l18 18'],
    GlobeWarning: [...smallGlobe, 'M18.5 13l5 9h-10z', 'M18.5 16.3v2.4', dot(18.5, 20.6, 0.7)],
    GlobeChangesPending: [...smallGlobe, c(18, 18, 5), 'M18 21v-6M15.6 17.4l2.4-2.4 2.4 2.4'],
    GlobeError: [...smallGlobe, c(18, 18, 5), 'M15.8 15.8l4.4 4.4M20.2 15.8l-4.4 4.4'],
    GlobeRefresh: [...smallGlobe, 'M22.5 18a4.5 4.5 0 1 1-1.3-3.2', 'M22 13v2.6h-2.6'],

    Add: ['M12 5v14M5 12h14'],
    Subtract: ['M5 12h14'],
    Cancel: ['M6 6l12 12M18 6L6 18'],
    Check: ['M4.5 12.5l4.5 4.5L19.5 6.5'],
    Search: search,
    ZoomIn: [...search, 'M7.5 10.5h6M10.5 7.5v6'],
    ZoomOut: [...search, 'M7.5 10.5h6'],
    ChevronRight: ['M9 5l7 7-7 7'],
    ChevronLeft: ['M15 5l-7 7 7 7'],
    ChevronDown: ['M5 9l7 7 7-7'],
    ChevronUp: ['M5 15l7-7 7 7'],
    ArrowLeft: ['M20 12H4M10 6l-6 6 6 6'],
    ArrowRight: ['M4 12h16M14 6l6 6-6 6'],
    ArrowUp: ['M12 20V4M6 10l6-6 6 6'],
    ArrowDown: ['M12 4v16M6 14l6 6 6-6'],
    BackArrow: ['M20 12H4M10 6l-6 6 6 6'],
    NextArrow: ['M4 12h16M14 6l6 6-6 6'],
    Home: ['M3 11l9-8 9 8', 'M5 9.5V21h5v-6h4v6h5V9.5'],
    Settings: [
      c(12, 12, 3), c(12, 12, 7),
      'M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9L7 7M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
    ],
    Edit: ['M4 20l1-5L16 4l4 4L9 19z', 'M14 6l4 4'],
    Compose: ['M11 4H4v16h16v-7', 'M10 14l1-3.5 8-8 2.5 2.5-8 8z'],
    Trash: ['M4 7h16M9 7V4h6v3', 'M6 7l1 14h10l1-14', 'M10 11v6M14 11v6'],
    Save: ['M5 3h11l3 3v15H5z', 'M8 3v5h7V3', 'M8 21v-7h8v7'],
    Copy: ['M8 8h12v12H8z', 'M4 16V4h12'],
    Cut: [c(6, 18, 2.5), c(18, 18, 2.5), 'M7.8 16.2L18 4M16.2 16.2L6 4'],
    Paste: ['M8 4H5v17h14V4h-3', 'M8 2h8v4H8z'],
    Document: document,
    DocumentWithContent: [...document, 'M9 12h7M9 15h7M9 18h5'],
    DocumentPDF: [...document, 'M9 13v6M9 13h2a1.5 1.5 0 0 1 0 3H9'],
    AddDocument: [...document, 'M13 11v8M9 15h8'],
    DetailList: ['M8 6h13M8 12h13M8 18h13', dot(4, 6), dot(4, 12), dot(4, 18)],
    OptionsList: ['M9 6h12M9 12h12M9 18h12', c(4.5, 6, 1.5), c(4.5, 12, 1.5), c(4.5, 18, 1.5)],
    Items: ['M3 4h18v4H3zM3 10h18v4H3zM3 16h18v4H3z'],
    Hamburger: ['M3 6h18M3 12h18M3 18h18'],
    More: [dot(5, 12, 1.6), dot(12, 12, 1.6), dot(19, 12, 1.6)],
    Waffle: [
      'F:M4 4h4v4H4zM10 4h4v4h-4zM16 4h4v4h-4zM4 10h4v4H4zM10 10h4v4h-4zM16 10h4v4h-4z' +
          'M4 16h4v4H4zM10 16h4v4h-4zM16 16h4v4h-4z',
    ],
    Mail: ['M3 5h18v14H3z', 'M3 5l9 8 9-8'],
    Message: ['M4 4h16v12H9l-5 4z'],
    Phone: [
      'M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z',
    ],
    Person: person,
    AddUser: [c(9, 8, 4), 'M2 21a7 7 0 0 1 14 0', 'M19 7v6M16 10h6'],
    People: [c(9, 8, 3.5), 'M2.5 20a6.5 6.5 0 0 1 13 0', c(17, 9, 2.5), 'M16.5 14.2a5 5 0 0 1 5.5 5'],
    CalendarBlank: calendar,
    AddToCalendar: [...calendar, 'M12 13v6M9 16h6'],
    Clock: [c(12, 12, 9), 'M12 7v5l3 3'],
    Alarm: [c(12, 13, 8), 'M12 9v4l2 2M3 5l3-3M21 5l-3-3'],
    History: ['M3.5 13a8.5 8.5 0 1 0 2.7-7.2', 'M4 3.5V8h4.5', 'M12 8v4.5l3 2'],
    Bell: ['M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z', 'M10 20.5a2 2 0 0 0 4 0'],
    Camera: ['M3 7h4l2-3h6l2 3h4v13H3z', c(12, 13, 4)],
    Pictures: ['M3 5h18v14H3z', 'M3 16l5-5 4 4 3-3 6 6', c(16, 9, 1.5)],
    Video: ['M3 6h12v12H3z', 'M15 10l6-3v10l-6-3'],
    Microphone: ['M9 3h6v10a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0M12 18v3'],
    Location: ['M12 22s-7-7.5-7-12a7 7 0 0 1 14 0c0 4.5-7 12-7 12z', c(12, 10, 2.5)],
    Pin: ['M9 3h6l-1 6 4 4H6l4-4z', 'M12 13v8'],
    Lock: [...lock, 'M8 11V7a4 4 0 0 1 8 0v4'],
    Unlock: [...lock, 'M8 11V7a4 4 0 0 1 7.7-1.5'],
    Key: [c(7, 12, 4), 'M11 12h10M17 12v3M20 12v2.5'],
    Link: [
      'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1',
      'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
    ],
    Share: [c(18, 5, 2.5), c(6, 12, 2.5), c(18, 19, 2.5), 'M8.2 10.8l7.6-4.4M8.2 13.2l7.6 4.4'],
    Send: ['M3 11l18-8-8 18-2-8z', 'M11 13L21 3'],
    Download: ['M12 3v12M7 10l5 5 5-5', 'M4 20h16'],
    Publish: ['M12 16V4M7 9l5-5 5 5', 'M4 20h16'],
    Export: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v6H4V6h6'],
    OpenInNewWindow: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v6H4V6h6'],
    Import: ['M14 4h6v16h-6', 'M3 12h12M10 7l5 5-5 5'],
    Reload: ['M20 12a8 8 0 1 1-2.3-5.7', 'M20 3.5V8h-4.5'],
    Sync: ['M4 12a8 8 0 0 1 14-5.3', 'M18.5 2.5V7H14', 'M20 12a8 8 0 0 1-14 5.3', 'M5.5 21.5V17H10'],
    Undo: ['M9 14L4 9l5-5', 'M4 9h10a6 6 0 0 1 0 12h-3'],
    Redo: ['M15 14l5-5-5-5', 'M20 9H10a6 6 0 0 0 0 12h3'],
    Filter: [filter],
    FilterFlat: [filter],
    FilterFlatFilled: ['F:' + filter],
    Sort: ['M7 4v16M3 8l4-4 4 4', 'M17 20V4M13 16l4 4 4-4'],
    Star: [star],
    StarFilled: ['F:' + star],
    Heart: ['M12 20s-8-5-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 9c0 6-8 11-8 11z'],
    Flag: ['M5 21V4', 'M5 4h13l-2.5 4.5L18 13H5'],
    Bookmark: [bookmark],
    BookmarkFilled: ['F:' + bookmark],
    Tag: ['M3 3h8l10 10-8 8L3 11z', c(7.5, 7.5, 1.5)],
    Information: [c(12, 12, 9), 'M12 11v6', dot(12, 7.5)],
    Help: [c(12, 12, 9), 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5', dot(12, 17)],
    QuestionMark: ['M8.5 8a3.5 3.5 0 1 1 5 3.2c-1 .5-1.5 1.3-1.5 2.3v1', dot(12, 19.5, 1.3)],
    Warning: ['M12 3l10 18H2z', 'M12 10v5', dot(12, 18)],
    Error: [c(12, 12, 9), 'M12 7v6', dot(12, 16.5)],
    Blocked: [c(12, 12, 9), 'M5.6 5.6l12.8 12.8'],
    CancelBadge: [c(12, 12, 9), 'M9 9l6 6M15 9l-6 6'],
    CheckBadge: [c(12, 12, 9), 'M8 12.5l3 3 5-6'],
    View: eye,
    Show: eye,
    Hide: [...eye, 'M3 3l18 18'],
    Print: ['M7 9V3h10v6', 'M7 17H3v-6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v6h-4', 'M7 14h10v7H7z'],
    Folder: ['M3 6h6l2 2h10v11H3z'],
    Database: [e(12, 5, 8, 3), 'M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5', 'M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3'],
    Lightbulb: [
      'M9 18h6M10 21h4',
      'M12 3a6 6 0 0 0-4 10.5c.8.8 1 1.5 1 2.5h6c0-1 .2-1.7 1-2.5A6 6 0 0 0 12 3z',
    ],
    LightningBolt: ['M13 2L4 14h7l-1 8 9-12h-7z'],
    ThumbsUp: [thumb],
    ThumbsUpFilled: ['F:' + thumb],
    ThumbsDown: ['R:' + thumb],
    ThumbsDownFilled: ['R:F:' + thumb],
    EmojiSmile: [c(12, 12, 9), 'M8 14a5 5 0 0 0 8 0', dot(9, 9.5), dot(15, 9.5)],
    EmojiHappy: [c(12, 12, 9), 'M7.5 13h9a4.5 4.5 0 0 1-9 0z', dot(9, 9.5), dot(15, 9.5)],
    EmojiNeutral: [c(12, 12, 9), 'M8 15h8', dot(9, 9.5), dot(15, 9.5)],
    EmojiSad: [c(12, 12, 9), 'M8 16.5a5 5 0 0 1 8 0', dot(9, 9.5), dot(15, 9.5)],
    EmojiFrown: [c(12, 12, 9), 'M8 16.5a5 5 0 0 1 8 0', 'M7.5 8l3 1.5M16.5 8l-3 1.5'],
    Money: ['M3 6h18v12H3z', c(12, 12, 3)],
    Currency: ['M12 3v18', 'M16 7h-6a2.5 2.5 0 0 0 0 5h4a2.5 2.5 0 0 1 0 5H8'],
    ShoppingCart: ['M2 3h3l3 12h11l2-8H6.5', c(9, 19.5, 1.5), c(18, 19.5, 1.5)],
    Laptop: ['M5 5h14v10H5z', 'M2 19h20l-2-4H4z'],
    Mobile: ['M7 2h10v20H7z', 'M11 18h2'],
    Tablet: ['M5 2h14v20H5z', 'M11 18h2'],
    ComputerDesktop: ['M3 4h18v12H3z', 'M8 21h8M12 16v5'],
    Health: ['M9 3h6v6h6v6h-6v6H9v-6H3V9h6z'],
    Medical: ['M9 3h6v6h6v6h-6v6H9v-6H3V9h6z'],
    Weather: ['M7 18a4 4 0 0 1 0-8 5 5 0 0 1 9.6-1.5A4 4 0 0 1 17 18z'],
    SignOut: ['M9 21H4V3h5', 'M16 17l5-5-5-5', 'M21 12H9'],
    Leave: ['M9 21H4V3h5', 'M16 17l5-5-5-5', 'M21 12H9'],
    Note: ['M5 3h14v18H5z', 'M9 7h6M9 11h6M9 15h4'],
    Journal: ['M6 3h13v18H6z', 'M4 7h4M4 12h4M4 17h4', 'M10 8h6'],
    Calculator: ['M5 2h14v20H5z', 'M8 5h8v4H8z', dot(8.5, 13), dot(12, 13), dot(15.5, 13), dot(8.5, 17), dot(12, 17), dot(15.5, 17)],
    Slider: ['M3 7h18M3 17h18', dot(8, 7, 2.2), dot(16, 17, 2.2)],
    HorizontalLine: ['M3 12h18'],
    VerticalLine: ['M12 3v18'],
    Stop: ['F:M6 6h12v12H6z'],
    Trending: ['M3 17l6-6 4 4 8-8', 'M15 7h6v6'],
    TrendingUpwards: ['M3 17l6-6 4 4 8-8', 'M15 7h6v6'],
    Enhance: ['M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2z', 'M19 15l1 2.5 2.5 1-2.5 1-1 2.5-1-2.5-2.5-1 2.5-1z'],
    Erase: ['M4 16l9-9 6 6-6 6H8z', 'M9 11l6 6', 'M13 19h8'],
    PaperClip: ['M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7'],
    Circle: [c(12, 12, 9)],
  };

  // Fluent icon names of the modern controls (ButtonCanvas.Icon) that the
  // classic set draws too.
  const fluent = {
    Dismiss: 'Cancel', Checkmark: 'Check', Delete: 'Trash', Eye: 'View', Open: 'OpenInNewWindow',
    DocumentBulletList: 'DetailList', Calendar: 'CalendarBlank', Info: 'Information',
    ErrorCircle: 'Error', ArrowSync: 'Sync', ArrowClockwise: 'Reload', ArrowDownload: 'Download',
    ArrowUpload: 'Publish', Navigation: 'Hamburger', MoreHorizontal: 'More', ArrowExport: 'Export',
    Attach: 'PaperClip', Alert: 'Bell', Chat: 'Message', Image: 'Pictures', LockClosed: 'Lock',
    LockOpen: 'Unlock', SignOut: 'SignOut', Filter: 'Filter', ArrowSort: 'Sort',
  };
  for (const [name, classic] of Object.entries(fluent)) if (!icons[name]) icons[name] = icons[classic];

  window.CFX_ICONS = Object.freeze(icons);
})();
