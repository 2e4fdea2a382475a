BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'stp_tracker','m001_initial','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'stp_tracker','m002_boundaries','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'stp_tracker','m003_fetch_replay','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'stp_tracker','m004_statement_runs','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(5,'stp_tracker','m005_leaner_indexes','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(6,'stp_tracker','m006_reingest_skip','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(7,'stp_tracker','m007_news','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(8,'stp_tracker','m008_identity_over_time','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(9,'stp_tracker','m009_boundaries_by_source','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(10,'stp_tracker','m010_unmatched_counts','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(11,'stp_tracker','m011_public_urls','2026-01-01 09:00:00');
INSERT INTO "_sqlite_migrations" VALUES(12,'stp_tracker','m012_registry_proposals','2026-01-01 09:00:00');
CREATE TABLE alias_uses (
            normalised text not null, code text not null, fetch_id integer not null,
            primary key (normalised, code, fetch_id)
        ) without rowid;
CREATE TABLE aliases (
    alias text not null, normalised text not null,
    code text not null references organisations(code),
    origin text not null, added_at text, valid_from text, valid_to text, evidence text, primary key (alias, code)
);
INSERT INTO "aliases" VALUES('E54000005','e54000005','E54000005','registry',NULL,NULL,'2020-04-01',NULL);
INSERT INTO "aliases" VALUES('West Yorkshire','west yorkshire','E54000005','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West Yorkshire and Harrogate','west yorkshire and harrogate','E54000005','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West Yorkshire and Harrogate (Health and Care Partnership)','west yorkshire and harrogate','E54000005','registry',NULL,NULL,NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS West Yorkshire ICB (QWO)');
INSERT INTO "aliases" VALUES('QWO','qwo','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS West Yorkshire Integrated Care Board','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS WEST YORKSHIRE INTEGRATED CARE BOARD','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West Yorkshire','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS West Yorkshire','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West Yorkshire ICB','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS West Yorkshire ICB','west yorkshire','QWO','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000054','e54000054','QWO','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000006','e54000006','E54000006','registry',NULL,NULL,'2020-04-01',NULL);
INSERT INTO "aliases" VALUES('Humber, Coast and Vale','humber coast and vale','E54000006','registry',NULL,NULL,NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Humber and North Yorkshire ICB (QOQ)');
INSERT INTO "aliases" VALUES('Coast, Humber and Vale','coast humber and vale','E54000006','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QOQ','qoq','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Humber and North Yorkshire Integrated Care Board','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS HUMBER AND NORTH YORKSHIRE INTEGRATED CARE BOARD','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Humber and North Yorkshire','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Humber and North Yorkshire','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Humber and North Yorkshire ICB','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Humber and North Yorkshire ICB','humber and north yorkshire','QOQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000051','e54000051','QOQ','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000007','e54000007','E54000007','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Greater Manchester','greater manchester','E54000007','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Greater Manchester Health and Social Care Partnership','greater manchester','E54000007','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QOP','qop','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Greater Manchester Integrated Care Board','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS GREATER MANCHESTER INTEGRATED CARE BOARD','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Greater Manchester','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Greater Manchester','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Greater Manchester ICB','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Greater Manchester ICB','greater manchester','QOP','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000057','e54000057','QOP','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000007','e54000007','QOP','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000008','e54000008','E54000008','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cheshire and Merseyside','cheshire and merseyside','E54000008','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cheshire and Merseyside Health and Care Partnership','cheshire and merseyside','E54000008','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QYG','qyg','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cheshire and Merseyside Integrated Care Board','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS CHESHIRE AND MERSEYSIDE INTEGRATED CARE BOARD','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cheshire and Merseyside','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cheshire and Merseyside','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cheshire and Merseyside ICB','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cheshire and Merseyside ICB','cheshire and merseyside','QYG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000008','e54000008','QYG','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000009','e54000009','E54000009','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South Yorkshire and Bassetlaw','south yorkshire and bassetlaw','E54000009','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QF7','qf7','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South Yorkshire Integrated Care Board','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SOUTH YORKSHIRE INTEGRATED CARE BOARD','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South Yorkshire','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South Yorkshire','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South Yorkshire ICB','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South Yorkshire ICB','south yorkshire','QF7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000061','e54000061','QF7','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000009','e54000009','QF7','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000010','e54000010','E54000010','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Staffordshire','staffordshire','E54000010','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Staffordshire and Stoke on Trent','staffordshire and stoke on trent','E54000010','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Together We''re Better','together were better','E54000010','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QNC','qnc','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Staffordshire and Stoke-on-Trent Integrated Care Board','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Staffordshire and Stoke-on-Trent','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Staffordshire and Stoke-on-Trent','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Staffordshire and Stoke-on-Trent ICB','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Staffordshire and Stoke-on-Trent ICB','staffordshire and stoke on trent','QNC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000010','e54000010','QNC','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000011','e54000011','E54000011','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Shropshire and Telford and Wrekin','shropshire and telford and wrekin','E54000011','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QOC','qoc','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Shropshire, Telford and Wrekin Integrated Care Board','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SHROPSHIRE, TELFORD AND WREKIN INTEGRATED CARE BOARD','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Shropshire, Telford and Wrekin','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Shropshire, Telford and Wrekin','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Shropshire, Telford and Wrekin ICB','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Shropshire, Telford and Wrekin ICB','shropshire telford and wrekin','QOC','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000011','e54000011','QOC','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000012','e54000012','E54000012','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Derbyshire','derbyshire','E54000012','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Joined Up Care Derbyshire','joined up care derbyshire','E54000012','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QJ2','qj2','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Derby and Derbyshire Integrated Care Board','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS DERBY AND DERBYSHIRE INTEGRATED CARE BOARD','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Derby and Derbyshire','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Derby and Derbyshire','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Derby and Derbyshire ICB','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Derby and Derbyshire ICB','derby and derbyshire','QJ2','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000058','e54000058','QJ2','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000012','e54000012','QJ2','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000013','e54000013','E54000013','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lincolnshire','lincolnshire','E54000013','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QJM','qjm','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lincolnshire Integrated Care Board','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS LINCOLNSHIRE INTEGRATED CARE BOARD','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lincolnshire','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lincolnshire','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lincolnshire ICB','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lincolnshire ICB','lincolnshire','QJM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000013','e54000013','QJM','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000014','e54000014','E54000014','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Nottinghamshire','nottinghamshire','E54000014','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Nottingham and Nottinghamshire Health and Care','nottingham and nottinghamshire','E54000014','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QT1','qt1','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Nottingham and Nottinghamshire Integrated Care Board','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NOTTINGHAM AND NOTTINGHAMSHIRE INTEGRATED CARE BOARD','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Nottingham and Nottinghamshire','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Nottingham and Nottinghamshire','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Nottingham and Nottinghamshire ICB','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Nottingham and Nottinghamshire ICB','nottingham and nottinghamshire','QT1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000060','e54000060','QT1','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000014','e54000014','QT1','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000015','e54000015','E54000015','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Leicester, Leicestershire and Rutland','leicester leicestershire and rutland','E54000015','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QK1','qk1','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Leicester, Leicestershire and Rutland Integrated Care Board','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS LEICESTER, LEICESTERSHIRE AND RUTLAND INTEGRATED CARE BOARD','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Leicester, Leicestershire and Rutland','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Leicester, Leicestershire and Rutland','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Leicester, Leicestershire and Rutland ICB','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Leicester, Leicestershire and Rutland ICB','leicester leicestershire and rutland','QK1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000015','e54000015','QK1','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000016','e54000016','E54000016','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('The Black Country','black country','E54000016','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('The Black Country and West Birmingham','black country and west birmingham','E54000016','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QUA','qua','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Black Country Integrated Care Board','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BLACK COUNTRY INTEGRATED CARE BOARD','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Black Country','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Black Country','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Black Country ICB','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Black Country ICB','black country','QUA','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000062','e54000062','QUA','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000016','e54000016','QUA','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000017','e54000017','E54000017','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Birmingham and Solihull','birmingham and solihull','E54000017','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QHL','qhl','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Birmingham and Solihull Integrated Care Board','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BIRMINGHAM AND SOLIHULL INTEGRATED CARE BOARD','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Birmingham and Solihull','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Birmingham and Solihull','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Birmingham and Solihull ICB','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Birmingham and Solihull ICB','birmingham and solihull','QHL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000055','e54000055','QHL','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000017','e54000017','QHL','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000018','e54000018','E54000018','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Coventry and Warwickshire','coventry and warwickshire','E54000018','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QWU','qwu','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Coventry and Warwickshire Integrated Care Board','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS COVENTRY AND WARWICKSHIRE INTEGRATED CARE BOARD','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Coventry and Warwickshire','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Coventry and Warwickshire','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Coventry and Warwickshire ICB','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Coventry and Warwickshire ICB','coventry and warwickshire','QWU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000018','e54000018','QWU','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000019','e54000019','E54000019','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Herefordshire and Worcestershire','herefordshire and worcestershire','E54000019','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QGH','qgh','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Herefordshire and Worcestershire Integrated Care Board','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS HEREFORDSHIRE AND WORCESTERSHIRE INTEGRATED CARE BOARD','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Herefordshire and Worcestershire','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Herefordshire and Worcestershire','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Herefordshire and Worcestershire ICB','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Herefordshire and Worcestershire ICB','herefordshire and worcestershire','QGH','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000019','e54000019','QGH','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000020','e54000020','E54000020','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Northamptonshire','northamptonshire','E54000020','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QPM','qpm','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Northamptonshire Integrated Care Board','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORTHAMPTONSHIRE INTEGRATED CARE BOARD','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Northamptonshire','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Northamptonshire','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Northamptonshire ICB','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Northamptonshire ICB','northamptonshire','QPM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000059','e54000059','QPM','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000020','e54000020','QPM','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000021','e54000021','E54000021','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cambridgeshire and Peterborough','cambridgeshire and peterborough','E54000021','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QUE','que','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cambridgeshire and Peterborough Integrated Care Board','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS CAMBRIDGESHIRE AND PETERBOROUGH INTEGRATED CARE BOARD','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cambridgeshire and Peterborough','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cambridgeshire and Peterborough','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cambridgeshire and Peterborough ICB','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cambridgeshire and Peterborough ICB','cambridgeshire and peterborough','QUE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000056','e54000056','QUE','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000021','e54000021','QUE','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000022','e54000022','E54000022','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Waveney','norfolk and waveney','E54000022','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Waveney Health and Care Partnership','norfolk and waveney','E54000022','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QMM','qmm','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Norfolk and Waveney Integrated Care Board','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORFOLK AND WAVENEY INTEGRATED CARE BOARD','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Waveney','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Norfolk and Waveney','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Waveney ICB','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Norfolk and Waveney ICB','norfolk and waveney','QMM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000022','e54000022','QMM','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000023','e54000023','E54000023','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Suffolk and North East Essex','suffolk and north east essex','E54000023','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QJG','qjg','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Suffolk and North East Essex Integrated Care Board','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SUFFOLK AND NORTH EAST ESSEX INTEGRATED CARE BOARD','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Suffolk and North East Essex','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Suffolk and North East Essex','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Suffolk and North East Essex ICB','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Suffolk and North East Essex ICB','suffolk and north east essex','QJG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000023','e54000023','QJG','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000024','e54000024','E54000024','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Milton Keynes, Bedfordshire and Luton','milton keynes bedfordshire and luton','E54000024','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bedfordshire, Luton and Milton Keynes','bedfordshire luton and milton keynes','E54000024','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QHG','qhg','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BEDFORDSHIRE, LUTON AND MILTON KEYNES INTEGRATED CARE BOARD','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bedfordshire, Luton and Milton Keynes','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bedfordshire, Luton and Milton Keynes','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bedfordshire, Luton and Milton Keynes ICB','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bedfordshire, Luton and Milton Keynes ICB','bedfordshire luton and milton keynes','QHG','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000024','e54000024','QHG','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000025','e54000025','E54000025','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hertfordshire and West Essex','hertfordshire and west essex','E54000025','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QM7','qm7','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hertfordshire and West Essex Integrated Care Board','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS HERTFORDSHIRE AND WEST ESSEX INTEGRATED CARE BOARD','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hertfordshire and West Essex','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hertfordshire and West Essex','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hertfordshire and West Essex ICB','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hertfordshire and West Essex ICB','hertfordshire and west essex','QM7','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000025','e54000025','QM7','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000026','e54000026','E54000026','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Mid and South Essex','mid and south essex','E54000026','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QH8','qh8','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Mid and South Essex Integrated Care Board','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS MID AND SOUTH ESSEX INTEGRATED CARE BOARD','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Mid and South Essex','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Mid and South Essex','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Mid and South Essex ICB','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Mid and South Essex ICB','mid and south essex','QH8','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000026','e54000026','QH8','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000027','e54000027','E54000027','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North West London','north west london','E54000027','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North West London Health and Care Partnership','north west london','E54000027','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QRV','qrv','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North West London Integrated Care Board','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORTH WEST LONDON INTEGRATED CARE BOARD','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North West London','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North West London','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North West London ICB','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North West London ICB','north west london','QRV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000027','e54000027','QRV','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000028','e54000028','E54000028','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North Central London','north central london','E54000028','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North London','north london','E54000028','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North London Partners in Health and Care','north london partners in','E54000028','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QMJ','qmj','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North Central London Integrated Care Board','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORTH CENTRAL LONDON INTEGRATED CARE BOARD','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North Central London','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North Central London','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North Central London ICB','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North Central London ICB','north central london','QMJ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000028','e54000028','QMJ','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000029','e54000029','E54000029','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North East London','north east london','E54000029','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('East London','east london','E54000029','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('East London Health and Care Partnership','east london','E54000029','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QMF','qmf','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East London Integrated Care Board','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORTH EAST LONDON INTEGRATED CARE BOARD','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North East London','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East London','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North East London ICB','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East London ICB','north east london','QMF','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000029','e54000029','QMF','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000030','e54000030','E54000030','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South East London','south east london','E54000030','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Our Healthier South East London','our healthier south east london','E54000030','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QKK','qkk','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South East London Integrated Care Board','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SOUTH EAST LONDON INTEGRATED CARE BOARD','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South East London','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South East London','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South East London ICB','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South East London ICB','south east london','QKK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000030','e54000030','QKK','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000031','e54000031','E54000031','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South West London','south west london','E54000031','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South West London Health and Care Partnership','south west london','E54000031','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QWE','qwe','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South West London Integrated Care Board','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SOUTH WEST LONDON INTEGRATED CARE BOARD','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South West London','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South West London','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('South West London ICB','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS South West London ICB','south west london','QWE','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000031','e54000031','QWE','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000032','e54000032','E54000032','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Kent and Medway','kent and medway','E54000032','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Transforming Health and Social Care in Kent and Medway','transforming health and social care in kent and medway','E54000032','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QKS','qks','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Kent and Medway Integrated Care Board','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS KENT AND MEDWAY INTEGRATED CARE BOARD','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Kent and Medway','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Kent and Medway','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Kent and Medway ICB','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Kent and Medway ICB','kent and medway','QKS','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000032','e54000032','QKS','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000033','e54000033','E54000033','registry',NULL,NULL,'2020-04-01',NULL);
INSERT INTO "aliases" VALUES('Sussex and East Surrey','sussex and east surrey','E54000033','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QNX','qnx','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Sussex Integrated Care Board','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SUSSEX INTEGRATED CARE BOARD','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Sussex','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Sussex','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Sussex ICB','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Sussex ICB','sussex','QNX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000064','e54000064','QNX','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000053','e54000053','QNX','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000034','e54000034','E54000034','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Frimley Health','frimley health','E54000034','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Frimley','frimley','E54000034','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Frimley Health and Care ICS','frimley','E54000034','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QNQ','qnq','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Frimley Integrated Care Board','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS FRIMLEY INTEGRATED CARE BOARD','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Frimley','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Frimley','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Frimley ICB','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Frimley ICB','frimley','QNQ','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000034','e54000034','QNQ','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000035','e54000035','E54000035','registry',NULL,NULL,'2020-04-01',NULL);
INSERT INTO "aliases" VALUES('Surrey Heartlands','surrey heartlands','E54000035','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Surrey Heartlands Health and Care Partnership','surrey heartlands','E54000035','registry',NULL,NULL,NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Surrey Heartlands ICB (QXU)');
INSERT INTO "aliases" VALUES('QXU','qxu','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Surrey Heartlands Integrated Care Board','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SURREY HEARTLANDS INTEGRATED CARE BOARD','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Surrey Heartlands','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Surrey Heartlands','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Surrey Heartlands ICB','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Surrey Heartlands ICB','surrey heartlands','QXU','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000063','e54000063','QXU','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000052','e54000052','QXU','stp-code-2021',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000036','e54000036','E54000036','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cornwall and the Isles of Scilly','cornwall and isles of scilly','E54000036','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cornwall and the Isles of Scilly Health and Social Care Partnership','cornwall and isles of scilly','E54000036','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QT6','qt6','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cornwall and the Isles of Scilly Integrated Care Board','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS CORNWALL AND THE ISLES OF SCILLY INTEGRATED CARE BOARD','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cornwall and the Isles of Scilly','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cornwall and the Isles of Scilly','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Cornwall and the Isles of Scilly ICB','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Cornwall and the Isles of Scilly ICB','cornwall and isles of scilly','QT6','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000036','e54000036','QT6','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000037','e54000037','E54000037','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Devon','devon','E54000037','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QJK','qjk','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Devon Integrated Care Board','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS DEVON INTEGRATED CARE BOARD','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Devon','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Devon','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Devon ICB','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Devon ICB','devon','QJK','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000037','e54000037','QJK','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000038','e54000038','E54000038','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Somerset','somerset','E54000038','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QSL','qsl','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Somerset Integrated Care Board','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS SOMERSET INTEGRATED CARE BOARD','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Somerset','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Somerset','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Somerset ICB','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Somerset ICB','somerset','QSL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000038','e54000038','QSL','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000039','e54000039','E54000039','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bristol, North Somerset and South Gloucestershire','bristol north somerset and south gloucestershire','E54000039','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bristol, North Somerset, South Gloucestershire','bristol north somerset south gloucestershire','E54000039','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QUY','quy','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BRISTOL, NORTH SOMERSET AND SOUTH GLOUCESTERSHIRE INTEGRATED CARE BOARD','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bristol, North Somerset and South Gloucestershire','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bristol, North Somerset and South Gloucestershire','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bristol, North Somerset and South Gloucestershire ICB','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bristol, North Somerset and South Gloucestershire ICB','bristol north somerset and south gloucestershire','QUY','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000039','e54000039','QUY','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000040','e54000040','E54000040','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bath, Swindon and Wiltshire','bath swindon and wiltshire','E54000040','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bath and North East Somerset, Swindon and Wiltshire','bath and north east somerset swindon and wiltshire','E54000040','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QOX','qox','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BATH AND NORTH EAST SOMERSET, SWINDON AND WILTSHIRE INTEGRATED CARE BOARD','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bath and North East Somerset, Swindon and Wiltshire','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bath and North East Somerset, Swindon and Wiltshire','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Bath and North East Somerset, Swindon and Wiltshire ICB','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Bath and North East Somerset, Swindon and Wiltshire ICB','bath and north east somerset swindon and wiltshire','QOX','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000040','e54000040','QOX','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000041','e54000041','E54000041','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Dorset','dorset','E54000041','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QVV','qvv','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Dorset Integrated Care Board','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS DORSET INTEGRATED CARE BOARD','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Dorset','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Dorset','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Dorset ICB','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Dorset ICB','dorset','QVV','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000041','e54000041','QVV','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000042','e54000042','E54000042','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hampshire and the Isle of Wight','hampshire and isle of wight','E54000042','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QRL','qrl','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hampshire and Isle of Wight Integrated Care Board','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS HAMPSHIRE AND ISLE OF WIGHT INTEGRATED CARE BOARD','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hampshire and Isle of Wight','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hampshire and Isle of Wight','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Hampshire and Isle of Wight ICB','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Hampshire and Isle of Wight ICB','hampshire and isle of wight','QRL','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000042','e54000042','QRL','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000043','e54000043','E54000043','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Gloucestershire','gloucestershire','E54000043','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QR1','qr1','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Gloucestershire Integrated Care Board','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS GLOUCESTERSHIRE INTEGRATED CARE BOARD','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Gloucestershire','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Gloucestershire','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Gloucestershire ICB','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Gloucestershire ICB','gloucestershire','QR1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000043','e54000043','QR1','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000044','e54000044','E54000044','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Buckinghamshire, Oxfordshire and Berkshire West','buckinghamshire oxfordshire and berkshire west','E54000044','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('BOB','bob','E54000044','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QU9','qu9','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS BUCKINGHAMSHIRE, OXFORDSHIRE AND BERKSHIRE WEST INTEGRATED CARE BOARD','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Buckinghamshire, Oxfordshire and Berkshire West','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Buckinghamshire, Oxfordshire and Berkshire West','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Buckinghamshire, Oxfordshire and Berkshire West ICB','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Buckinghamshire, Oxfordshire and Berkshire West ICB','buckinghamshire oxfordshire and berkshire west','QU9','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000044','e54000044','QU9','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000045','e54000045','E54000045','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby','durham darlington teesside hambleton richmondshire and whitby','E54000045','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Durham, Darlington, Tees, Hambleton Richmondshire and Whitby','durham darlington tees hambleton richmondshire and whitby','E54000045','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Durham, Darlington and Tees, Hambleton, Richmondshire and Whitby','durham darlington and tees hambleton richmondshire and whitby','E54000045','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Durham, Darlington & Tees, Hambleton, Richmondshire & Whitby','durham darlington and tees hambleton richmondshire and whitby','E54000045','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QHM','qhm','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East and North Cumbria Integrated Care Board','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS NORTH EAST AND NORTH CUMBRIA INTEGRATED CARE BOARD','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North East and North Cumbria','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East and North Cumbria','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('North East and North Cumbria ICB','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS North East and North Cumbria ICB','north east and north cumbria','QHM','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000050','e54000050','QHM','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000046','e54000046','E54000046','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Northumberland, Tyne and Wear and North Durham','northumberland tyne and wear and north durham','E54000046','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Northumberland, Tyne and Wear','northumberland tyne and wear','E54000046','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000047','e54000047','E54000047','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West, North and East Cumbria','west north and east cumbria','E54000047','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000048','e54000048','E54000048','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lancashire and South Cumbria','lancashire and south cumbria','E54000048','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Healthier Lancashire and South Cumbria','healthier lancashire and south cumbria','E54000048','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lancashire & South Cumbria','lancashire and south cumbria','E54000048','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('QE1','qe1','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lancashire and South Cumbria Integrated Care Board','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS LANCASHIRE AND SOUTH CUMBRIA INTEGRATED CARE BOARD','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lancashire and South Cumbria','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lancashire and South Cumbria','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Lancashire and South Cumbria ICB','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Lancashire and South Cumbria ICB','lancashire and south cumbria','QE1','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000048','e54000048','QE1','ons-code-2023',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('E54000049','e54000049','E54000049','registry',NULL,NULL,'2020-04-01','ONS STP (April 2018) names and codes list E54000049 ''Cumbria and North East'' in place of E54000045/46/47; The Health Foundation''s Winter_pressures README says the three merged in August 2018; NHS England''s Core Data Pack SQL uses the three old codes for April 2017 to August 2018');
INSERT INTO "aliases" VALUES('Cumbria and North East','cumbria and north east','E54000049','registry',NULL,NULL,NULL,'ONS STP (April 2018) names and codes list E54000049 ''Cumbria and North East'' in place of E54000045/46/47; The Health Foundation''s Winter_pressures README says the three merged in August 2018; NHS England''s Core Data Pack SQL uses the three old codes for April 2017 to August 2018');
INSERT INTO "aliases" VALUES('E54000050','e54000050','E54000049','code-history',NULL,'2020-04-01',NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS North East and North Cumbria ICB (QHM)');
INSERT INTO "aliases" VALUES('E54000051','e54000051','E54000006','code-history',NULL,'2020-04-01',NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Humber and North Yorkshire ICB (QOQ)');
INSERT INTO "aliases" VALUES('E54000052','e54000052','E54000035','code-history',NULL,'2020-04-01',NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Surrey Heartlands ICB (QXU)');
INSERT INTO "aliases" VALUES('E54000053','e54000053','E54000033','code-history',NULL,'2020-04-01',NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Sussex ICB (QNX)');
INSERT INTO "aliases" VALUES('Sussex and East Surrey Health and Care Partnership','sussex and east surrey','E54000033','code-history',NULL,NULL,NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS Sussex ICB (QNX)');
INSERT INTO "aliases" VALUES('E54000054','e54000054','E54000005','code-history',NULL,'2020-04-01',NULL,'ONS STP (April 2020) names and codes; later the ONS code of NHS West Yorkshire ICB (QWO)');
INSERT INTO "aliases" VALUES('S1Y5D','s1y5d','S1Y5D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Central East','central east','S1Y5D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Central East','central east','S1Y5D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Central East ICB','central east','S1Y5D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Central East ICB','central east','S1Y5D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('T6Y0W','t6y0w','T6Y0W','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Norfolk and Suffolk','norfolk and suffolk','T6Y0W','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Suffolk','norfolk and suffolk','T6Y0W','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Norfolk and Suffolk ICB','norfolk and suffolk','T6Y0W','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Norfolk and Suffolk ICB','norfolk and suffolk','T6Y0W','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('D7T5G','d7t5g','D7T5G','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Essex','essex','D7T5G','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Essex','essex','D7T5G','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Essex ICB','essex','D7T5G','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Essex ICB','essex','D7T5G','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Z9B2Z','z9b2z','Z9B2Z','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS West and North London','west and north london','Z9B2Z','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West and North London','west and north london','Z9B2Z','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('West and North London ICB','west and north london','Z9B2Z','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS West and North London ICB','west and north london','Z9B2Z','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('S9B9J','s9b9j','S9B9J','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Surrey and Sussex','surrey and sussex','S9B9J','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Surrey and Sussex','surrey and sussex','S9B9J','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Surrey and Sussex ICB','surrey and sussex','S9B9J','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Surrey and Sussex ICB','surrey and sussex','S9B9J','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('S0E4D','s0e4d','S0E4D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Thames Valley','thames valley','S0E4D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Thames Valley','thames valley','S0E4D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('Thames Valley ICB','thames valley','S0E4D','registry',NULL,NULL,NULL,NULL);
INSERT INTO "aliases" VALUES('NHS Thames Valley ICB','thames valley','S0E4D','registry',NULL,NULL,NULL,NULL);
CREATE TABLE "boundaries" (
            code text not null references organisations(code), name text,
            geometry text not null, source text not null,
            fetch_id integer references fetches(id), effective text,
            primary key (code, source)
        );
INSERT INTO "boundaries" VALUES('E54000005','West Yorkshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000006','Humber, Coast and Vale','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000007','Greater Manchester','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000008','Cheshire and Merseyside','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000009','South Yorkshire and Bassetlaw','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000010','Staffordshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000011','Shropshire and Telford and Wrekin','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000012','Derbyshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000013','Lincolnshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000014','Nottinghamshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000015','Leicester, Leicestershire and Rutland','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000016','The Black Country','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000017','Birmingham and Solihull','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000018','Coventry and Warwickshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000019','Herefordshire and Worcestershire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000020','Northamptonshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000021','Cambridgeshire and Peterborough','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000022','Norfolk and Waveney','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000023','Suffolk and North East Essex','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000024','Milton Keynes, Bedfordshire and Luton','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000025','Hertfordshire and West Essex','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000026','Mid and South Essex','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000027','North West London','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000028','North Central London','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000029','North East London','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000030','South East London','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000031','South West London','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000032','Kent and Medway','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000033','Sussex and East Surrey','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000034','Frimley Health','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000035','Surrey Heartlands','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000036','Cornwall and the Isles of Scilly','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000037','Devon','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000038','Somerset','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000039','Bristol, North Somerset and South Gloucestershire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000040','Bath, Swindon and Wiltshire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000041','Dorset','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000042','Hampshire and the Isle of Wight','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000043','Gloucestershire','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000044','Buckinghamshire, Oxfordshire and Berkshire West','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000045','Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000046','Northumberland, Tyne and Wear and North Durham','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000047','West, North and East Cumbria','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('E54000048','Lancashire and South Cumbria','{"type": "Point", "coordinates": [0, 0]}','ons-stp-2017-boundaries',2,'2017-02-01');
INSERT INTO "boundaries" VALUES('QE1','Healthier Lancashire and South Cumbria','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QF7','South Yorkshire and Bassetlaw','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QGH','Herefordshire and Worcestershire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QH8','Mid and South Essex','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QHG','Bedfordshire, Luton and Milton Keynes','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QHL','Birmingham and Solihull','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QHM','Cumbria and North East','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QJ2','Joined Up Care Derbyshire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QJG','Suffolk and North East Essex','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QJK','Devon','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QJM','Lincolnshire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QK1','Leicester, Leicestershire and Rutland','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QKK','Our Healthier South East London','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QKS','Kent and Medway','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QM7','Hertfordshire and West Essex','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QMF','East London Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QMJ','North London Partners in Health and Care','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QMM','Norfolk and Waveney Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QNC','Staffordshire and Stoke on Trent','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QNQ','Frimley Health and Care ICS','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QNX','Sussex Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QOC','Shropshire and Telford and Wrekin','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QOP','Greater Manchester Health and Social Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QOQ','Humber, Coast and Vale','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QOX','Bath and North East Somerset, Swindon and Wiltshire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QPM','Northamptonshire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QR1','Gloucestershire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QRL','Hampshire and the Isle of Wight','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QRV','North West London Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QSL','Somerset','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QT1','Nottingham and Nottinghamshire Health and Care','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QT6','Cornwall and the Isles of Scilly Health and Social Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QU9','Buckinghamshire, Oxfordshire and Berkshire West','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QUA','The Black Country and West Birmingham','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QUE','Cambridgeshire and Peterborough','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QUY','Bristol, North Somerset and South Gloucestershire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QVV','Dorset','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QWE','South West London Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QWO','West Yorkshire and Harrogate (Health and Care Partnership)','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QWU','Coventry and Warwickshire','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QXU','Surrey Heartlands Health and Care Partnership','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
INSERT INTO "boundaries" VALUES('QYG','Cheshire and Merseyside','{"type": "Point", "coordinates": [0, 0]}','ons-icb-2022-boundaries',3,'2022-07-01');
CREATE TABLE changes (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, old_value text, new_value text, effective text not null,
    recorded_at text not null, retired_at text, source text not null,
    fetch_id integer references fetches(id), kind text not null, direction text, publisher text
);
INSERT INTO "changes" VALUES(1,'E54000005','leader.stp_lead',NULL,'Rob Webster','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(2,'E54000005','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'West Yorkshire and Harrogate Health and Care Partnership');
INSERT INTO "changes" VALUES(3,'E54000006','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'National Health Executive; mapmedtech.com');
INSERT INTO "changes" VALUES(4,'E54000007','leader.stp_lead',NULL,'Sir Howard Bernstein','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(5,'E54000008','leader.stp_lead',NULL,'Louise Shepherd','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(6,'E54000009','leader.stp_lead',NULL,'Sir Andrew Cash','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(7,'E54000009','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Public Finance; National Health Executive');
INSERT INTO "changes" VALUES(8,'E54000010','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'National Health Executive; mapmedtech.com');
INSERT INTO "changes" VALUES(9,'E54000013','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(10,'E54000015','leader.stp_lead',NULL,'Toby Sanders','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(11,'E54000016','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(12,'E54000017','leader.stp_lead',NULL,'Mark Rogers','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(13,'E54000020','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'National Health Executive; mapmedtech.com');
INSERT INTO "changes" VALUES(14,'E54000024','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Public Finance; National Health Executive');
INSERT INTO "changes" VALUES(15,'E54000025','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(16,'E54000028','leader.stp_lead',NULL,'David Sloman','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(17,'E54000028','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(18,'E54000031','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(19,'E54000032','leader.stp_lead',NULL,'Glenn Douglas','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(20,'E54000033','leader.chair',NULL,'Michael Wilson','2017-04','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Sussex Health and Care Partnership');
INSERT INTO "changes" VALUES(21,'E54000033','leader.stp_lead',NULL,'Michael Wilson','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(22,'E54000033','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'National Health Executive; Sussex Health and Care Partnership');
INSERT INTO "changes" VALUES(23,'E54000034','leader.stp_lead',NULL,'Sir Andrew Morris','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(24,'E54000034','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Public Finance; National Health Executive');
INSERT INTO "changes" VALUES(25,'E54000035','rating.overall',NULL,'Advanced','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Surrey Heartlands Health and Care Partnership');
INSERT INTO "changes" VALUES(26,'E54000036','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(27,'E54000037','leader.stp_lead',NULL,'Angela Pedder','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(28,'E54000037','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(29,'E54000038','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Local Government Chronicle');
INSERT INTO "changes" VALUES(30,'E54000039','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'National Health Executive; mapmedtech.com');
INSERT INTO "changes" VALUES(31,'E54000041','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Public Finance; National Health Executive');
INSERT INTO "changes" VALUES(32,'E54000044','leader.stp_lead',NULL,'David Smith','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(33,'E54000045','leader.stp_lead',NULL,'Alan Foster','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(34,'E54000045','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'rating',NULL,'Public Finance; National Health Executive; Local Government Chronicle');
INSERT INTO "changes" VALUES(35,'E54000046','leader.stp_lead',NULL,'Mark Adams','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(36,'E54000047','leader.stp_lead',NULL,'Stephen Eames','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(37,'E54000048','leader.stp_lead',NULL,'Dr Amanda Doyle','2016-03','2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'leader',NULL,'Health Service Journal');
INSERT INTO "changes" VALUES(38,'E54000005','leader.stp_lead',NULL,'Rob Webster CBE','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'leader',NULL,'NHS England');
INSERT INTO "changes" VALUES(39,'E54000005','metric.beds',NULL,'2,500','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(40,'E54000005','org.code',NULL,'E54000005','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'organisation',NULL,'NHS England');
INSERT INTO "changes" VALUES(41,'E54000005','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:25:00.000000+00:00','2026-01-01T09:45:00.000000+00:00','dashboard',4,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(42,'E54000006','leader.stp_lead',NULL,'Emma Latimer','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'leader',NULL,'NHS England');
INSERT INTO "changes" VALUES(43,'E54000006','org.code',NULL,'E54000006','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'organisation',NULL,'NHS England');
INSERT INTO "changes" VALUES(44,'E54000006','rating.overall',NULL,'Advanced','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(45,'E54000010','leader.stp_lead',NULL,'Simon Whitehouse','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'leader',NULL,'NHS England');
INSERT INTO "changes" VALUES(46,'E54000010','metric.beds',NULL,'900','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(47,'E54000010','rating.overall',NULL,'Needs most improvement','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(48,'E54000041','leader.stp_lead',NULL,'Tim Goodson','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'leader',NULL,'NHS England');
INSERT INTO "changes" VALUES(49,'E54000041','metric.beds',NULL,'1200','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(50,'E54000041','rating.overall',NULL,'Outstanding','2017-07-21','2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(51,'E54000006','leader.stp_lead','Emma Latimer',NULL,'2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'leader',NULL,NULL);
INSERT INTO "changes" VALUES(52,'E54000006','org.code','E54000006',NULL,'2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'organisation',NULL,NULL);
INSERT INTO "changes" VALUES(53,'E54000006','rating.overall','Advanced',NULL,'2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'rating',NULL,NULL);
INSERT INTO "changes" VALUES(54,'E54000010','rating.overall','Needs most improvement','Making progress','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'rating','improved','NHS England');
INSERT INTO "changes" VALUES(55,'E54000041','metric.beds','1200','1250','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(56,'E54000010','rating.overall',NULL,'Needs most improvement','2017-08-01','2026-01-01T09:35:00.000000+00:00',NULL,'press',6,'rating',NULL,'Trade Paper');
INSERT INTO "changes" VALUES(57,'E54000041','rating.overall',NULL,'Advanced','2017-08-01','2026-01-01T09:35:00.000000+00:00',NULL,'press',6,'rating',NULL,'Trade Paper');
INSERT INTO "changes" VALUES(58,'E54000006','metric.beds',NULL,'300','2017-10-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',7,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(59,'E54000006','metric.beds','300',NULL,'2018-01-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',5,'metric',NULL,NULL);
INSERT INTO "changes" VALUES(60,'E54000041','rating.overall','Outstanding','Advanced','2017-10-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',7,'rating','declined','NHS England');
INSERT INTO "changes" VALUES(61,'E54000041','rating.overall','Advanced','Outstanding','2018-01-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',5,'rating','improved','NHS England');
INSERT INTO "changes" VALUES(62,'E54000005','rating.overall',NULL,'Advanced','2017-07-21','2026-01-01T09:45:00.000000+00:00','2026-01-01T09:50:00.000000+00:00','dashboard',8,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(63,'E54000005','rating.overall','Advanced','Making progress','2017-10-01','2026-01-01T09:45:00.000000+00:00','2026-01-01T09:50:00.000000+00:00','dashboard',7,'rating','declined','NHS England');
INSERT INTO "changes" VALUES(64,'E54000005','rating.overall',NULL,'Making progress','2017-07-21','2026-01-01T09:50:00.000000+00:00',NULL,'dashboard',9,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(65,'E54000005','rating.overall','Making progress','Advanced','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'rating','improved','NHS England');
INSERT INTO "changes" VALUES(66,'E54000006','leader.stp_lead',NULL,'Emma Latimer','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'leader',NULL,'NHS England');
INSERT INTO "changes" VALUES(67,'E54000006','metric.beds',NULL,'310','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(68,'E54000006','org.code',NULL,'E54000006','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'organisation',NULL,'NHS England');
INSERT INTO "changes" VALUES(69,'E54000006','rating.overall',NULL,'Needs most improvement','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'rating',NULL,'NHS England');
INSERT INTO "changes" VALUES(70,'E54000010','metric.beds','900','950','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'metric',NULL,'NHS England');
INSERT INTO "changes" VALUES(71,'E54000041','metric.beds','1250',NULL,'2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'metric',NULL,NULL);
CREATE TABLE configurations (
            digest text primary key, source text not null, definition text not null,
            recorded_at text not null
        );
INSERT INTO "configurations" VALUES('122b12a11d707339af21c01dc5d51cf292d537282bfcf575c06b5f32bb1e372a','reference-2017','{"kinds": {"aggregate_codes": ["E92\\d{6}", "K0[2-4]\\d{6}", "[NSW]92\\d{6}", "E12\\d{6}", "E40\\d{6}"], "aggregate_names": ["Total", "Totals", "Grand total", "England", "All", "National", "England total"], "codes": ["E54\\d{6}"], "entity": "stp"}, "scale": {"labels": ["Needs most improvement", "Making progress", "Advanced", "Outstanding"], "name": "stp-2017", "synonyms": {"1": "Outstanding", "2": "Advanced", "3": "Making progress", "4": "Needs most improvement", "Category 1": "Outstanding", "Category 2": "Advanced", "Category 3": "Making progress", "Category 4": "Needs most improvement", "Green": "Outstanding", "In need of most improvement": "Needs most improvement", "Most improvement needed": "Needs most improvement", "Most in need of improvement": "Needs most improvement", "Need most improvement": "Needs most improvement", "Needing most improvement": "Needs most improvement", "Needs improvement": "Needs most improvement", "Orange": "Making progress", "Progressing": "Making progress", "Red": "Needs most improvement", "Requires most improvement": "Needs most improvement", "Requiring most improvement": "Needs most improvement", "Yellow": "Advanced"}}, "source": {"aggregate": null, "attribution": null, "columns": [["stp17_code", "org.code"], ["kind", "kind"], ["attribute", "attribute"], ["value", "value"], ["reported_on", "reported_on"], ["publisher", "publisher"], ["note", "note"]], "complete": false, "creates": false, "cron": null, "deadline": "2m", "delimiter": null, "effective": null, "effective_column": "effective", "enabled": false, "encoding": null, "entity": "stp", "every": null, "format": "csv", "header_row": null, "layout": "long", "licence": null, "max_bytes": 52428800, "max_cells": 5000000, "max_change": 0.25, "max_decompressed_bytes": 268435456, "max_failures": 3, "max_items": 20, "max_rows": 1048576, "name": "reference-2017", "publisher": null, "records": null, "redirect_hosts": [], "scale": "stp-2017", "selector": null, "sheet": null, "skip_rows": [], "title": "Reference facts on the 2017 STPs, as confirmed by public sources", "url": "reference-2017.csv"}}','2026-01-01T09:06:00.000000+00:00');
INSERT INTO "configurations" VALUES('ac5ee4c0a48b974d9828b7eb6e56306ce6cda32ef464fa9b6aa7682fe150aa39','ons-stp-2017-boundaries','{"kinds": {"aggregate_codes": ["E92\\d{6}", "K0[2-4]\\d{6}", "[NSW]92\\d{6}", "E12\\d{6}", "E40\\d{6}"], "aggregate_names": ["Total", "Totals", "Grand total", "England", "All", "National", "England total"], "codes": ["E54\\d{6}"], "entity": "stp"}, "scale": null, "source": {"aggregate": null, "attribution": "Source: Office for National Statistics licensed under the Open Government Licence v3.0. Contains OS data \u00a9 Crown copyright and database right 2017.", "columns": [["stp17cd", "org.code"], ["stp17nm", "org.name"]], "complete": false, "creates": false, "cron": null, "deadline": "2m", "delimiter": null, "effective": "2017-02-01", "effective_column": null, "enabled": false, "encoding": null, "entity": "stp", "every": null, "format": "geojson", "header_row": null, "layout": "wide", "licence": "Open Government Licence v3.0", "max_bytes": 52428800, "max_cells": 5000000, "max_change": 0.25, "max_decompressed_bytes": 268435456, "max_failures": 3, "max_items": 20, "max_rows": 1048576, "name": "ons-stp-2017-boundaries", "publisher": "Office for National Statistics", "records": null, "redirect_hosts": [], "scale": null, "selector": null, "sheet": null, "skip_rows": [], "title": "ONS: Sustainability and Transformation Partnerships (February 2017) Ultra Generalised Clipped Boundaries in England", "url": "stp-2017-boundaries.geojson"}}','2026-01-01T09:13:00.000000+00:00');
INSERT INTO "configurations" VALUES('b70be6642cb227486d7e5bf8f04e2753c9913f0e468484e30094a063d2b05a0d','ons-icb-2022-boundaries','{"kinds": {"aggregate_codes": ["E92\\d{6}", "K0[2-4]\\d{6}", "[NSW]92\\d{6}", "E12\\d{6}", "E40\\d{6}"], "aggregate_names": ["Total", "Totals", "Grand total", "England", "All", "National", "England total"], "codes": ["Q[A-Z0-9]{2}", "[A-Z]\\d[A-Z]\\d[A-Z]", "E54\\d{6}"], "entity": "icb"}, "scale": null, "source": {"aggregate": null, "attribution": "Source: Office for National Statistics licensed under the Open Government Licence v3.0. Contains OS data \u00a9 Crown copyright and database right 2022.", "columns": [["icb22cdh", "org.code"], ["icb22nm", "org.name"]], "complete": false, "creates": false, "cron": null, "deadline": "2m", "delimiter": null, "effective": "2022-07-01", "effective_column": null, "enabled": false, "encoding": null, "entity": "icb", "every": null, "format": "geojson", "header_row": null, "layout": "wide", "licence": "Open Government Licence v3.0", "max_bytes": 52428800, "max_cells": 5000000, "max_change": 0.25, "max_decompressed_bytes": 268435456, "max_failures": 3, "max_items": 20, "max_rows": 1048576, "name": "ons-icb-2022-boundaries", "publisher": "Office for National Statistics", "records": null, "redirect_hosts": [], "scale": null, "selector": null, "sheet": null, "skip_rows": [], "title": "ONS: Integrated Care Boards (July 2022) boundaries in England, by ODS code (copy from The Strategy Unit''s nhp_inputs)", "url": "icb-2022-boundaries.geojson"}}','2026-01-01T09:20:00.000000+00:00');
INSERT INTO "configurations" VALUES('67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','dashboard','{"kinds": {"aggregate_codes": ["E92\\d{6}", "K0[2-4]\\d{6}", "[NSW]92\\d{6}", "E12\\d{6}", "E40\\d{6}"], "aggregate_names": ["Total", "Totals", "Grand total", "England", "All", "National", "England total"], "codes": ["E54\\d{6}"], "entity": "stp"}, "scale": {"labels": ["Needs most improvement", "Making progress", "Advanced", "Outstanding"], "name": "stp-2017", "synonyms": {"1": "Outstanding", "2": "Advanced", "3": "Making progress", "4": "Needs most improvement", "Category 1": "Outstanding", "Category 2": "Advanced", "Category 3": "Making progress", "Category 4": "Needs most improvement", "Green": "Outstanding", "In need of most improvement": "Needs most improvement", "Most improvement needed": "Needs most improvement", "Most in need of improvement": "Needs most improvement", "Need most improvement": "Needs most improvement", "Needing most improvement": "Needs most improvement", "Needs improvement": "Needs most improvement", "Orange": "Making progress", "Progressing": "Making progress", "Red": "Needs most improvement", "Requires most improvement": "Needs most improvement", "Requiring most improvement": "Needs most improvement", "Yellow": "Advanced"}}, "source": {"aggregate": null, "attribution": null, "columns": [["STP code", "org.code"], ["STP name", "org.name"], ["Overall rating", "rating.overall"], ["Footprint lead", "leader.stp_lead"], ["Beds", "metric.beds"]], "complete": true, "creates": false, "cron": null, "deadline": "2m", "delimiter": null, "effective": null, "effective_column": "Period", "enabled": true, "encoding": null, "entity": "stp", "every": null, "format": "csv", "header_row": null, "layout": "wide", "licence": null, "max_bytes": 52428800, "max_cells": 5000000, "max_change": 0.25, "max_decompressed_bytes": 268435456, "max_failures": 3, "max_items": 20, "max_rows": 1048576, "name": "dashboard", "publisher": "NHS England", "records": null, "redirect_hosts": [], "scale": "stp-2017", "selector": null, "sheet": null, "skip_rows": [], "title": "Test STP dashboard", "url": "dashboard.csv"}}','2026-01-01T09:25:00.000000+00:00');
INSERT INTO "configurations" VALUES('e101f0ffe41e07bf686c96df4c2e7b8e9accc3adb9853522e6bbf26f17e91b13','press','{"kinds": {"aggregate_codes": ["E92\\d{6}", "K0[2-4]\\d{6}", "[NSW]92\\d{6}", "E12\\d{6}", "E40\\d{6}"], "aggregate_names": ["Total", "Totals", "Grand total", "England", "All", "National", "England total"], "codes": ["E54\\d{6}"], "entity": "stp"}, "scale": {"labels": ["Needs most improvement", "Making progress", "Advanced", "Outstanding"], "name": "stp-2017", "synonyms": {"1": "Outstanding", "2": "Advanced", "3": "Making progress", "4": "Needs most improvement", "Category 1": "Outstanding", "Category 2": "Advanced", "Category 3": "Making progress", "Category 4": "Needs most improvement", "Green": "Outstanding", "In need of most improvement": "Needs most improvement", "Most improvement needed": "Needs most improvement", "Most in need of improvement": "Needs most improvement", "Need most improvement": "Needs most improvement", "Needing most improvement": "Needs most improvement", "Needs improvement": "Needs most improvement", "Orange": "Making progress", "Progressing": "Making progress", "Red": "Needs most improvement", "Requires most improvement": "Needs most improvement", "Requiring most improvement": "Needs most improvement", "Yellow": "Advanced"}}, "source": {"aggregate": null, "attribution": null, "columns": [["Partnership", "org.name"], ["Rating", "rating.overall"]], "complete": false, "creates": false, "cron": null, "deadline": "2m", "delimiter": null, "effective": null, "effective_column": null, "enabled": true, "encoding": null, "entity": "stp", "every": null, "format": "csv", "header_row": null, "layout": "wide", "licence": null, "max_bytes": 52428800, "max_cells": 5000000, "max_change": 0.25, "max_decompressed_bytes": 268435456, "max_failures": 3, "max_items": 20, "max_rows": 1048576, "name": "press", "publisher": "Trade Paper", "records": null, "redirect_hosts": [], "scale": "stp-2017", "selector": null, "sheet": null, "skip_rows": [], "title": "A trade paper''s list, by name only", "url": "press.csv"}}','2026-01-01T09:35:00.000000+00:00');
CREATE TABLE events (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, what text not null, reported_on text, source text not null,
    note text, publisher text, fetch_id integer, recorded_at text not null,
    unique (org_code, attribute, what, reported_on, source)
);
INSERT INTO "events" VALUES(1,'E54000037','leader.stp_lead','leaving','2017-07-21','reference-2017','STP leader Angela Pedder is leaving','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(2,'E54000039','leader.chair','appointed (independent chair; name not given)','2017-07-21','reference-2017','independent chair and a single chief officer across the CCGs appointed','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(3,'E54000010','leader.chair','not appointed','2017-07-21','reference-2017','failed to appoint an independent chair','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(4,'E54000010','leader.stp_lead','changed twice','2017-07-21','reference-2017','two changes of STP lead','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(5,'E54000006','leader.stp_lead','interim; change expected','2017-07-21','reference-2017','lead initially appointed as an interim','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(6,'E54000013','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(7,'E54000028','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(8,'E54000025','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(9,'E54000038','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(10,'E54000031','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
INSERT INTO "events" VALUES(11,'E54000036','leader.stp_lead','changed','2017-07-21','reference-2017','STP lead changed since first appointment','Local Government Chronicle',1,'2026-01-01T09:06:00.000000+00:00');
CREATE TABLE facts (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, value text not null, value_key text not null, value_num real,
    valid_from text not null, valid_to text, recorded_at text not null, retired_at text,
    source text not null, fetch_id integer references fetches(id), publisher text, note text
);
INSERT INTO "facts" VALUES(1,'E54000005','leader.stp_lead','Rob Webster','rob webster',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal','footprint lead as announced March 2016');
INSERT INTO "facts" VALUES(2,'E54000005','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'West Yorkshire and Harrogate Health and Care Partnership','leadership domain judged ''Established''');
INSERT INTO "facts" VALUES(3,'E54000006','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'National Health Executive; mapmedtech.com',NULL);
INSERT INTO "facts" VALUES(4,'E54000007','leader.stp_lead','Sir Howard Bernstein','howard bernstein',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(5,'E54000008','leader.stp_lead','Louise Shepherd','louise shepherd',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(6,'E54000009','leader.stp_lead','Sir Andrew Cash','andrew cash',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(7,'E54000009','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Public Finance; National Health Executive',NULL);
INSERT INTO "facts" VALUES(8,'E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'National Health Executive; mapmedtech.com',NULL);
INSERT INTO "facts" VALUES(9,'E54000013','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(10,'E54000015','leader.stp_lead','Toby Sanders','toby sanders',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(11,'E54000016','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(12,'E54000017','leader.stp_lead','Mark Rogers','mark rogers',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(13,'E54000020','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'National Health Executive; mapmedtech.com',NULL);
INSERT INTO "facts" VALUES(14,'E54000024','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Public Finance; National Health Executive',NULL);
INSERT INTO "facts" VALUES(15,'E54000025','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(16,'E54000028','leader.stp_lead','David Sloman','david sloman',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(17,'E54000028','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(18,'E54000031','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(19,'E54000032','leader.stp_lead','Glenn Douglas','glenn douglas',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(20,'E54000033','leader.chair','Michael Wilson','michael wilson',NULL,'2017-04',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Sussex Health and Care Partnership','''STP chair Michael Wilson'' after the April 2017 refresh');
INSERT INTO "facts" VALUES(21,'E54000033','leader.stp_lead','Michael Wilson','michael wilson',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(22,'E54000033','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'National Health Executive; Sussex Health and Care Partnership',NULL);
INSERT INTO "facts" VALUES(23,'E54000034','leader.stp_lead','Sir Andrew Morris','andrew morris',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(24,'E54000034','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Public Finance; National Health Executive',NULL);
INSERT INTO "facts" VALUES(25,'E54000035','rating.overall','Advanced','Advanced',3.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Surrey Heartlands Health and Care Partnership',NULL);
INSERT INTO "facts" VALUES(26,'E54000036','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(27,'E54000037','leader.stp_lead','Angela Pedder','angela pedder',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(28,'E54000037','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(29,'E54000038','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(30,'E54000039','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'National Health Executive; mapmedtech.com',NULL);
INSERT INTO "facts" VALUES(31,'E54000041','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Public Finance; National Health Executive','STP progress dashboard baseline view (2016/17)');
INSERT INTO "facts" VALUES(32,'E54000044','leader.stp_lead','David Smith','david smith',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(33,'E54000045','leader.stp_lead','Alan Foster','alan foster',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(34,'E54000045','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Public Finance; National Health Executive; Local Government Chronicle',NULL);
INSERT INTO "facts" VALUES(35,'E54000046','leader.stp_lead','Mark Adams','mark adams',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(36,'E54000047','leader.stp_lead','Stephen Eames','stephen eames',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(37,'E54000048','leader.stp_lead','Dr Amanda Doyle','amanda doyle',NULL,'2016-03',NULL,'2026-01-01T09:06:00.000000+00:00',NULL,'reference-2017',1,'Health Service Journal',NULL);
INSERT INTO "facts" VALUES(38,'E54000005','leader.stp_lead','Rob Webster CBE','rob webster',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(39,'E54000005','metric.beds','2,500','2500',2500.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(40,'E54000005','org.code','E54000005','e54000005',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(41,'E54000005','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:45:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(42,'E54000006','leader.stp_lead','Emma Latimer','emma latimer',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:30:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(43,'E54000006','org.code','E54000006','e54000006',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:30:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(44,'E54000006','rating.overall','Advanced','Advanced',3.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:30:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(45,'E54000010','leader.stp_lead','Simon Whitehouse','simon whitehouse',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(46,'E54000010','metric.beds','900','900',900.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T10:03:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(47,'E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:30:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(48,'E54000041','leader.stp_lead','Tim Goodson','tim goodson',NULL,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(49,'E54000041','metric.beds','1200','1200',1200.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:30:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(50,'E54000041','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21',NULL,'2026-01-01T09:25:00.000000+00:00','2026-01-01T09:40:00.000000+00:00','dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(51,'E54000006','leader.stp_lead','Emma Latimer','emma latimer',NULL,'2017-07-21','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(52,'E54000006','org.code','E54000006','e54000006',NULL,'2017-07-21','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(53,'E54000006','rating.overall','Advanced','Advanced',3.0,'2017-07-21','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(54,'E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-07-21','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(55,'E54000010','rating.overall','Making progress','Making progress',2.0,'2018-01-01',NULL,'2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',5,'NHS England',NULL);
INSERT INTO "facts" VALUES(56,'E54000041','metric.beds','1200','1200',1200.0,'2017-07-21','2018-01-01','2026-01-01T09:30:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(57,'E54000041','metric.beds','1250','1250',1250.0,'2018-01-01',NULL,'2026-01-01T09:30:00.000000+00:00','2026-01-01T10:03:00.000000+00:00','dashboard',5,'NHS England',NULL);
INSERT INTO "facts" VALUES(58,'E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'2017-08-01',NULL,'2026-01-01T09:35:00.000000+00:00',NULL,'press',6,'Trade Paper',NULL);
INSERT INTO "facts" VALUES(59,'E54000041','rating.overall','Advanced','Advanced',3.0,'2017-08-01',NULL,'2026-01-01T09:35:00.000000+00:00',NULL,'press',6,'Trade Paper',NULL);
INSERT INTO "facts" VALUES(60,'E54000006','metric.beds','300','300',300.0,'2017-10-01','2018-01-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',7,'NHS England',NULL);
INSERT INTO "facts" VALUES(61,'E54000041','rating.overall','Outstanding','Outstanding',4.0,'2017-07-21','2017-10-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(62,'E54000041','rating.overall','Advanced','Advanced',3.0,'2017-10-01','2018-01-01','2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',7,'NHS England',NULL);
INSERT INTO "facts" VALUES(63,'E54000041','rating.overall','Outstanding','Outstanding',4.0,'2018-01-01',NULL,'2026-01-01T09:40:00.000000+00:00',NULL,'dashboard',5,'NHS England',NULL);
INSERT INTO "facts" VALUES(64,'E54000005','rating.overall','Advanced','Advanced',3.0,'2017-07-21','2017-10-01','2026-01-01T09:45:00.000000+00:00','2026-01-01T09:50:00.000000+00:00','dashboard',8,'NHS England',NULL);
INSERT INTO "facts" VALUES(65,'E54000005','rating.overall','Making progress','Making progress',2.0,'2017-10-01',NULL,'2026-01-01T09:45:00.000000+00:00','2026-01-01T09:50:00.000000+00:00','dashboard',7,'NHS England',NULL);
INSERT INTO "facts" VALUES(66,'E54000005','rating.overall','Making progress','Making progress',2.0,'2017-07-21',NULL,'2026-01-01T09:50:00.000000+00:00','2026-01-01T10:03:00.000000+00:00','dashboard',9,'NHS England',NULL);
INSERT INTO "facts" VALUES(67,'E54000005','rating.overall','Making progress','Making progress',2.0,'2017-07-21','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',9,'NHS England',NULL);
INSERT INTO "facts" VALUES(68,'E54000005','rating.overall','Advanced','Advanced',3.0,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(69,'E54000006','leader.stp_lead','Emma Latimer','emma latimer',NULL,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(70,'E54000006','metric.beds','310','310',310.0,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(71,'E54000006','org.code','E54000006','e54000006',NULL,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(72,'E54000006','rating.overall','Needs most improvement','Needs most improvement',1.0,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(73,'E54000010','metric.beds','900','900',900.0,'2017-07-21','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',4,'NHS England',NULL);
INSERT INTO "facts" VALUES(74,'E54000010','metric.beds','950','950',950.0,'2018-05-01',NULL,'2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',12,'NHS England',NULL);
INSERT INTO "facts" VALUES(75,'E54000041','metric.beds','1250','1250',1250.0,'2018-01-01','2018-05-01','2026-01-01T10:03:00.000000+00:00',NULL,'dashboard',5,'NHS England',NULL);
CREATE TABLE feed_items (
            source text not null, guid text not null, link text not null, title text,
            published text, updated text, first_seen text not null,
            state text not null default 'pending', attempts integer not null default 0,
            fetch_id integer, primary key (source, guid)
        );
CREATE TABLE fetches (
    id integer primary key, source text not null, started_at text not null, finished_at text,
    url text, http_status integer, etag text, last_modified text, sha256 text, bytes integer,
    outcome text, error text, records integer, changes integer
, as_of text, applied_at text, config_digest text, release_digests text, row_count integer, item text);
INSERT INTO "fetches" VALUES(1,'reference-2017','2026-01-01T09:03:00.000000+00:00','2026-01-01T09:07:00.000000+00:00','reference-2017.csv',NULL,NULL,NULL,'9cdf07376e836bd92bbd256e759ae553d7a43b655b014796dd7c319982ad7887',5343,'changed',NULL,48,37,NULL,'2026-01-01T09:06:00.000000+00:00','122b12a11d707339af21c01dc5d51cf292d537282bfcf575c06b5f32bb1e372a','{"2016-03": "fc3a0720b2ac9ff0a48cbd4a8206537b5538f64dc070e6196efdf339a147b04a:0", "2017-04": "08f94907fcd61fa1c366fd45f1224769486c5b4adea76be6b54151a483a1a65d:0", "2017-07-21": "e2b7c0391467e8538bb0ebb5c8069536287002e3b0096a9c8b55a6cfcdb2df7b:0"}',48,NULL);
INSERT INTO "fetches" VALUES(2,'ons-stp-2017-boundaries','2026-01-01T09:10:00.000000+00:00','2026-01-01T09:14:00.000000+00:00','stp-2017-boundaries.geojson',NULL,NULL,NULL,'b8b17efc3d3055eaadd202bd018de58315815b120658d5d1f964354513e2bde7',149899,'changed',NULL,44,0,NULL,'2026-01-01T09:13:00.000000+00:00','ac5ee4c0a48b974d9828b7eb6e56306ce6cda32ef464fa9b6aa7682fe150aa39',NULL,44,NULL);
INSERT INTO "fetches" VALUES(3,'ons-icb-2022-boundaries','2026-01-01T09:17:00.000000+00:00','2026-01-01T09:21:00.000000+00:00','icb-2022-boundaries.geojson',NULL,NULL,NULL,'388bce15c62fe175cbba9a5bac0c35e2c43713747b74b339d4a551f9f4a8b5d7',153458,'changed',NULL,42,0,NULL,'2026-01-01T09:20:00.000000+00:00','b70be6642cb227486d7e5bf8f04e2753c9913f0e468484e30094a063d2b05a0d',NULL,42,NULL);
INSERT INTO "fetches" VALUES(4,'dashboard','2026-01-01T09:22:00.000000+00:00','2026-01-01T09:26:00.000000+00:00','july.csv',NULL,NULL,NULL,'03c3620c097f6b7277bd0185a031c54f15ec090b2871e4064108b9c8c6af8d21',322,'changed',NULL,13,13,NULL,'2026-01-01T09:25:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2017-07-21": "8e5fad8f1021e5fbca15900eb59a3f67fb9bfa7ff708bb3f4f2f7d7fcb180e1d:1"}',4,NULL);
INSERT INTO "fetches" VALUES(5,'dashboard','2026-01-01T09:27:00.000000+00:00','2026-01-01T09:31:00.000000+00:00','jan.csv',NULL,NULL,NULL,'0efa9e5670d6e242d03e5828e64187e5e289ee1bc93ba3b42c2b4f0e96731417',261,'changed',NULL,10,5,NULL,'2026-01-01T09:30:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2018-01-01": "7c2ab65390ef5784a0c6f7f006643fb17951802eaf8b23e2c814d3257a40d5e6:1"}',3,NULL);
INSERT INTO "fetches" VALUES(6,'press','2026-01-01T09:32:00.000000+00:00','2026-01-01T09:36:00.000000+00:00','press.csv',NULL,NULL,NULL,'ea7d5979a0562164cb7889331a690f471291d92bbdf2fecf3834763cb68565b6',76,'changed',NULL,2,2,'2017-08-01','2026-01-01T09:35:00.000000+00:00','e101f0ffe41e07bf686c96df4c2e7b8e9accc3adb9853522e6bbf26f17e91b13','{"2017-08-01": "552e200211e214832f82e05c5b6f04a29e3620a8c72fb3a60c4dfb1c213027fa:0"}',2,NULL);
INSERT INTO "fetches" VALUES(7,'dashboard','2026-01-01T09:37:00.000000+00:00','2026-01-01T09:41:00.000000+00:00','oct.csv',NULL,NULL,NULL,'0d20d2170e87dee2b766bb577de0c96a2e138341b744ab821fd805ccf4d323ea',315,'changed',NULL,14,2,NULL,'2026-01-01T09:40:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2017-10-01": "b9797215295b35b7020cedf72a5d851cb933f134a09437950576e8689c8f1e1a:1"}',4,NULL);
INSERT INTO "fetches" VALUES(8,'dashboard','2026-01-01T09:42:00.000000+00:00','2026-01-01T09:46:00.000000+00:00','july2.csv',NULL,NULL,NULL,'d4404751bd9a74744c7977815c889684356d322f328569a40ef4866f9d7f292f',315,'changed',NULL,13,1,NULL,'2026-01-01T09:45:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2017-07-21": "2ff49bfbd93339decaf6ae6467e44512094aa1caba99d45abece09753df639ce:1"}',4,NULL);
INSERT INTO "fetches" VALUES(9,'dashboard','2026-01-01T09:47:00.000000+00:00','2026-01-01T09:51:00.000000+00:00','july.csv',NULL,NULL,NULL,'03c3620c097f6b7277bd0185a031c54f15ec090b2871e4064108b9c8c6af8d21',322,'changed',NULL,13,1,NULL,'2026-01-01T09:50:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2017-07-21": "8e5fad8f1021e5fbca15900eb59a3f67fb9bfa7ff708bb3f4f2f7d7fcb180e1d:1"}',4,NULL);
INSERT INTO "fetches" VALUES(10,'dashboard','2026-01-01T09:52:00.000000+00:00','2026-01-01T09:55:00.000000+00:00','july.csv',NULL,NULL,NULL,'03c3620c097f6b7277bd0185a031c54f15ec090b2871e4064108b9c8c6af8d21',322,'unchanged',NULL,13,0,NULL,'2026-01-01T09:54:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2017-07-21": "8e5fad8f1021e5fbca15900eb59a3f67fb9bfa7ff708bb3f4f2f7d7fcb180e1d:1"}',4,NULL);
INSERT INTO "fetches" VALUES(11,'dashboard','2026-01-01T09:56:00.000000+00:00','2026-01-01T09:59:00.000000+00:00','bad.csv',NULL,NULL,NULL,'d78ff1708e8436c317f0420da41b067b63bd803dd44f492e117715dc3d8015b2',97,'failed','bad.csv: row 2: field ''Overall rating'': ''Purple'' is not a band of scale stp-2017 (Needs most improvement, Making progress, Advanced, Outstanding)',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "fetches" VALUES(12,'dashboard','2026-01-01T10:00:00.000000+00:00','2026-01-01T10:04:00.000000+00:00','may.csv',NULL,NULL,NULL,'190673fc4064ce13e4d69582a718bb307f95aa490ef0995135185a78352ee127',333,'changed',NULL,13,7,NULL,'2026-01-01T10:03:00.000000+00:00','67f35bc0da422720b6a0423c737276044ca0ce615e142fd4bc98845385577df1','{"2018-05-01": "03c8b1a64f6b4b6f2e8e15e54e1f9b947c4cfefbc04d298ced653dbf03691642:1"}',4,NULL);
CREATE TABLE lineage (
    predecessor text not null references organisations(code),
    successor text not null references organisations(code),
    effective text, kind text not null, evidence text, origin text not null default 'registry', primary key (predecessor, successor)
);
INSERT INTO "lineage" VALUES('E54000045','E54000049','2018-04-01','merge','ONS STP (April 2018) names and codes list E54000049 ''Cumbria and North East'' in place of E54000045/46/47; The Health Foundation''s Winter_pressures README says the three merged in August 2018; NHS England''s Core Data Pack SQL uses the three old codes for April 2017 to August 2018','registry');
INSERT INTO "lineage" VALUES('E54000046','E54000049','2018-04-01','merge','ONS STP (April 2018) names and codes list E54000049 ''Cumbria and North East'' in place of E54000045/46/47; The Health Foundation''s Winter_pressures README says the three merged in August 2018; NHS England''s Core Data Pack SQL uses the three old codes for April 2017 to August 2018','registry');
INSERT INTO "lineage" VALUES('E54000047','E54000049','2018-04-01','merge','ONS STP (April 2018) names and codes list E54000049 ''Cumbria and North East'' in place of E54000045/46/47; The Health Foundation''s Winter_pressures README says the three merged in August 2018; NHS England''s Core Data Pack SQL uses the three old codes for April 2017 to August 2018','registry');
INSERT INTO "lineage" VALUES('E54000005','QWO','2022-07-01','recode',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000006','QOQ','2022-07-01','recode',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000007','QOP','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000008','QYG','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000009','QF7','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000010','QNC','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000011','QOC','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000012','QJ2','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000013','QJM','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000014','QT1','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000015','QK1','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000016','QUA','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000017','QHL','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000018','QWU','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000019','QGH','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000020','QPM','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000021','QUE','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000022','QMM','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000023','QJG','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000024','QHG','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000025','QM7','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000026','QH8','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000027','QRV','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000028','QMJ','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000029','QMF','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000030','QKK','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000031','QWE','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000032','QKS','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000033','QNX','2022-07-01','recode',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000034','QNQ','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000035','QXU','2022-07-01','recode',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000036','QT6','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000037','QJK','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000038','QSL','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000039','QUY','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000040','QOX','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000041','QVV','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000042','QRL','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000043','QR1','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000044','QU9','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000048','QE1','2022-07-01','rename',NULL,'registry');
INSERT INTO "lineage" VALUES('E54000049','QHM','2022-07-01','recode',NULL,'registry');
INSERT INTO "lineage" VALUES('QUE','S1Y5D','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QMM','T6Y0W','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QJG','D7T5G','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QJG','T6Y0W','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QHG','S1Y5D','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QM7','S1Y5D','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QM7','D7T5G','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QH8','D7T5G','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QRV','Z9B2Z','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QMJ','Z9B2Z','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QNX','S9B9J','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QNQ','S0E4D','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QNQ','S9B9J','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QNQ','QRL','2026-04-01','split',NULL,'registry');
INSERT INTO "lineage" VALUES('QXU','S9B9J','2026-04-01','merge',NULL,'registry');
INSERT INTO "lineage" VALUES('QU9','S0E4D','2026-04-01','merge',NULL,'registry');
CREATE TABLE organisations (
    code text primary key, name text not null, kind text not null, ods_code text,
    ons_code text, valid_from text, valid_to text, origin text not null default 'registry'
);
INSERT INTO "organisations" VALUES('E54000005','West Yorkshire','stp',NULL,'E54000005',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QWO','NHS West Yorkshire Integrated Care Board','icb','QWO','E54000054','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000006','Humber, Coast and Vale','stp',NULL,'E54000006',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QOQ','NHS Humber and North Yorkshire Integrated Care Board','icb','QOQ','E54000051','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000007','Greater Manchester','stp',NULL,'E54000007',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QOP','NHS Greater Manchester Integrated Care Board','icb','QOP','E54000057','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000008','Cheshire and Merseyside','stp',NULL,'E54000008',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QYG','NHS Cheshire and Merseyside Integrated Care Board','icb','QYG','E54000008','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000009','South Yorkshire and Bassetlaw','stp',NULL,'E54000009',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QF7','NHS South Yorkshire Integrated Care Board','icb','QF7','E54000061','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000010','Staffordshire','stp',NULL,'E54000010',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QNC','NHS Staffordshire and Stoke-on-Trent Integrated Care Board','icb','QNC','E54000010','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000011','Shropshire and Telford and Wrekin','stp',NULL,'E54000011',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QOC','NHS Shropshire, Telford and Wrekin Integrated Care Board','icb','QOC','E54000011','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000012','Derbyshire','stp',NULL,'E54000012',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QJ2','NHS Derby and Derbyshire Integrated Care Board','icb','QJ2','E54000058','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000013','Lincolnshire','stp',NULL,'E54000013',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QJM','NHS Lincolnshire Integrated Care Board','icb','QJM','E54000013','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000014','Nottinghamshire','stp',NULL,'E54000014',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QT1','NHS Nottingham and Nottinghamshire Integrated Care Board','icb','QT1','E54000060','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000015','Leicester, Leicestershire and Rutland','stp',NULL,'E54000015',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QK1','NHS Leicester, Leicestershire and Rutland Integrated Care Board','icb','QK1','E54000015','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000016','The Black Country','stp',NULL,'E54000016',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QUA','NHS Black Country Integrated Care Board','icb','QUA','E54000062','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000017','Birmingham and Solihull','stp',NULL,'E54000017',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QHL','NHS Birmingham and Solihull Integrated Care Board','icb','QHL','E54000055','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000018','Coventry and Warwickshire','stp',NULL,'E54000018',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QWU','NHS Coventry and Warwickshire Integrated Care Board','icb','QWU','E54000018','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000019','Herefordshire and Worcestershire','stp',NULL,'E54000019',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QGH','NHS Herefordshire and Worcestershire Integrated Care Board','icb','QGH','E54000019','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000020','Northamptonshire','stp',NULL,'E54000020',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QPM','NHS Northamptonshire Integrated Care Board','icb','QPM','E54000059','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000021','Cambridgeshire and Peterborough','stp',NULL,'E54000021',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QUE','NHS Cambridgeshire and Peterborough Integrated Care Board','icb','QUE','E54000056','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000022','Norfolk and Waveney','stp',NULL,'E54000022',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QMM','NHS Norfolk and Waveney Integrated Care Board','icb','QMM','E54000022','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000023','Suffolk and North East Essex','stp',NULL,'E54000023',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QJG','NHS Suffolk and North East Essex Integrated Care Board','icb','QJG','E54000023','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000024','Milton Keynes, Bedfordshire and Luton','stp',NULL,'E54000024',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QHG','NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board','icb','QHG','E54000024','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000025','Hertfordshire and West Essex','stp',NULL,'E54000025',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QM7','NHS Hertfordshire and West Essex Integrated Care Board','icb','QM7','E54000025','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000026','Mid and South Essex','stp',NULL,'E54000026',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QH8','NHS Mid and South Essex Integrated Care Board','icb','QH8','E54000026','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000027','North West London','stp',NULL,'E54000027',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QRV','NHS North West London Integrated Care Board','icb','QRV','E54000027','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000028','North Central London','stp',NULL,'E54000028',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QMJ','NHS North Central London Integrated Care Board','icb','QMJ','E54000028','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000029','North East London','stp',NULL,'E54000029',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QMF','NHS North East London Integrated Care Board','icb','QMF','E54000029','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000030','South East London','stp',NULL,'E54000030',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QKK','NHS South East London Integrated Care Board','icb','QKK','E54000030','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000031','South West London','stp',NULL,'E54000031',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QWE','NHS South West London Integrated Care Board','icb','QWE','E54000031','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000032','Kent and Medway','stp',NULL,'E54000032',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QKS','NHS Kent and Medway Integrated Care Board','icb','QKS','E54000032','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000033','Sussex and East Surrey','stp',NULL,'E54000033',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QNX','NHS Sussex Integrated Care Board','icb','QNX','E54000064','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000034','Frimley Health','stp',NULL,'E54000034',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QNQ','NHS Frimley Integrated Care Board','icb','QNQ','E54000034','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000035','Surrey Heartlands','stp',NULL,'E54000035',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QXU','NHS Surrey Heartlands Integrated Care Board','icb','QXU','E54000063','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000036','Cornwall and the Isles of Scilly','stp',NULL,'E54000036',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QT6','NHS Cornwall and the Isles of Scilly Integrated Care Board','icb','QT6','E54000036','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000037','Devon','stp',NULL,'E54000037',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QJK','NHS Devon Integrated Care Board','icb','QJK','E54000037','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000038','Somerset','stp',NULL,'E54000038',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QSL','NHS Somerset Integrated Care Board','icb','QSL','E54000038','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000039','Bristol, North Somerset and South Gloucestershire','stp',NULL,'E54000039',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QUY','NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board','icb','QUY','E54000039','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000040','Bath, Swindon and Wiltshire','stp',NULL,'E54000040',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QOX','NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board','icb','QOX','E54000040','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000041','Dorset','stp',NULL,'E54000041',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QVV','NHS Dorset Integrated Care Board','icb','QVV','E54000041','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000042','Hampshire and the Isle of Wight','stp',NULL,'E54000042',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QRL','NHS Hampshire and Isle of Wight Integrated Care Board','icb','QRL','E54000042','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000043','Gloucestershire','stp',NULL,'E54000043',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QR1','NHS Gloucestershire Integrated Care Board','icb','QR1','E54000043','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000044','Buckinghamshire, Oxfordshire and Berkshire West','stp',NULL,'E54000044',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QU9','NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board','icb','QU9','E54000044','2022-07-01','2026-04-01','registry');
INSERT INTO "organisations" VALUES('E54000045','Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby','stp',NULL,'E54000045',NULL,'2018-04-01','registry');
INSERT INTO "organisations" VALUES('QHM','NHS North East and North Cumbria Integrated Care Board','icb','QHM','E54000050','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000046','Northumberland, Tyne and Wear and North Durham','stp',NULL,'E54000046',NULL,'2018-04-01','registry');
INSERT INTO "organisations" VALUES('E54000047','West, North and East Cumbria','stp',NULL,'E54000047',NULL,'2018-04-01','registry');
INSERT INTO "organisations" VALUES('E54000048','Lancashire and South Cumbria','stp',NULL,'E54000048',NULL,'2022-07-01','registry');
INSERT INTO "organisations" VALUES('QE1','NHS Lancashire and South Cumbria Integrated Care Board','icb','QE1','E54000048','2022-07-01',NULL,'registry');
INSERT INTO "organisations" VALUES('E54000049','Cumbria and North East','stp',NULL,'E54000049','2018-04-01','2022-07-01','registry');
INSERT INTO "organisations" VALUES('S1Y5D','NHS Central East','icb','S1Y5D',NULL,'2026-04-01',NULL,'registry');
INSERT INTO "organisations" VALUES('T6Y0W','NHS Norfolk and Suffolk','icb','T6Y0W',NULL,'2026-04-01',NULL,'registry');
INSERT INTO "organisations" VALUES('D7T5G','NHS Essex','icb','D7T5G',NULL,'2026-04-01',NULL,'registry');
INSERT INTO "organisations" VALUES('Z9B2Z','NHS West and North London','icb','Z9B2Z',NULL,'2026-04-01',NULL,'registry');
INSERT INTO "organisations" VALUES('S9B9J','NHS Surrey and Sussex','icb','S9B9J',NULL,'2026-04-01',NULL,'registry');
INSERT INTO "organisations" VALUES('S0E4D','NHS Thames Valley','icb','S0E4D',NULL,'2026-04-01',NULL,'registry');
CREATE TABLE proposals (
            id integer primary key, source text not null, kind text not null,
            org_code text, summary text not null, change text not null, evidence text,
            fetch_id integer, proposed_at text not null, state text not null default 'open',
            decided_at text, unique (source, kind, org_code, change)
        );
CREATE TABLE releases (
    id integer primary key, source text not null, effective text not null,
    complete integer not null, fetch_id integer references fetches(id), digest text not null,
    recorded_at text not null, unique (source, effective)
);
INSERT INTO "releases" VALUES(1,'reference-2017','2016-03',0,1,'fc3a0720b2ac9ff0a48cbd4a8206537b5538f64dc070e6196efdf339a147b04a:0','2026-01-01T09:06:00.000000+00:00');
INSERT INTO "releases" VALUES(2,'reference-2017','2017-04',0,1,'08f94907fcd61fa1c366fd45f1224769486c5b4adea76be6b54151a483a1a65d:0','2026-01-01T09:06:00.000000+00:00');
INSERT INTO "releases" VALUES(3,'reference-2017','2017-07-21',0,1,'e2b7c0391467e8538bb0ebb5c8069536287002e3b0096a9c8b55a6cfcdb2df7b:0','2026-01-01T09:06:00.000000+00:00');
INSERT INTO "releases" VALUES(4,'dashboard','2017-07-21',1,9,'8e5fad8f1021e5fbca15900eb59a3f67fb9bfa7ff708bb3f4f2f7d7fcb180e1d:1','2026-01-01T09:50:00.000000+00:00');
INSERT INTO "releases" VALUES(5,'dashboard','2018-01-01',1,5,'7c2ab65390ef5784a0c6f7f006643fb17951802eaf8b23e2c814d3257a40d5e6:1','2026-01-01T09:30:00.000000+00:00');
INSERT INTO "releases" VALUES(6,'press','2017-08-01',0,6,'552e200211e214832f82e05c5b6f04a29e3620a8c72fb3a60c4dfb1c213027fa:0','2026-01-01T09:35:00.000000+00:00');
INSERT INTO "releases" VALUES(7,'dashboard','2017-10-01',1,7,'b9797215295b35b7020cedf72a5d851cb933f134a09437950576e8689c8f1e1a:1','2026-01-01T09:40:00.000000+00:00');
INSERT INTO "releases" VALUES(8,'dashboard','2018-05-01',1,12,'03c8b1a64f6b4b6f2e8e15e54e1f9b947c4cfefbc04d298ced653dbf03691642:1','2026-01-01T10:03:00.000000+00:00');
CREATE TABLE removed_aliases (
            id integer primary key, alias text not null, normalised text not null,
            code text not null, origin text not null, added_at text, removed_at text not null,
            fetch_ids text
        );
CREATE TABLE reported_counts (
    publisher text not null, reported_on text not null, outstanding integer, advanced integer,
    making_progress integer, needs_most_improvement integer, note text, source text, fetch_id integer,
    primary key (publisher, reported_on)
);
INSERT INTO "reported_counts" VALUES('Local Government Chronicle','2017-07-21',5,20,14,5,'''Twenty are rated advanced and the remainder as making progress''',NULL,NULL);
INSERT INTO "reported_counts" VALUES('Public Finance','2017-07-21',5,20,14,5,NULL,NULL,NULL);
INSERT INTO "reported_counts" VALUES('National Health Executive','2017-07-21',5,NULL,19,5,'says 45% advanced and 19 making progress, which cannot both hold for 44',NULL,NULL);
INSERT INTO "reported_counts" VALUES('Cancer Campaigning Group (citing HSJ)','2017-07-28',5,14,20,5,NULL,NULL,NULL);
INSERT INTO "reported_counts" VALUES('Healthcare Financial Management Association','2017-08-30',5,18,16,5,NULL,NULL,NULL);
CREATE TABLE sources (
    name text primary key, title text, url text, format text, entity text, layout text,
    creates integer, complete integer, schedule text, scale text, publisher text, licence text,
    enabled integer, loaded_at text
, attribution text);
INSERT INTO "sources" VALUES('reference-2017','Reference facts on the 2017 STPs, as confirmed by public sources','reference-2017.csv','csv','stp','long',0,0,NULL,'stp-2017',NULL,NULL,0,'2026-01-01T09:00:00.000000+00:00',NULL);
INSERT INTO "sources" VALUES('ons-stp-2017-boundaries','ONS: Sustainability and Transformation Partnerships (February 2017) Ultra Generalised Clipped Boundaries in England','stp-2017-boundaries.geojson','geojson','stp','wide',0,0,NULL,NULL,'Office for National Statistics','Open Government Licence v3.0',0,'2026-01-01T09:00:00.000000+00:00','Source: Office for National Statistics licensed under the Open Government Licence v3.0. Contains OS data © Crown copyright and database right 2017.');
INSERT INTO "sources" VALUES('ons-icb-2022-boundaries','ONS: Integrated Care Boards (July 2022) boundaries in England, by ODS code (copy from The Strategy Unit''s nhp_inputs)','icb-2022-boundaries.geojson','geojson','icb','wide',0,0,NULL,NULL,'Office for National Statistics','Open Government Licence v3.0',0,'2026-01-01T09:00:00.000000+00:00','Source: Office for National Statistics licensed under the Open Government Licence v3.0. Contains OS data © Crown copyright and database right 2022.');
INSERT INTO "sources" VALUES('dashboard','Test STP dashboard','dashboard.csv','csv','stp','wide',0,1,NULL,'stp-2017','NHS England',NULL,1,'2026-01-01T09:00:00.000000+00:00',NULL);
INSERT INTO "sources" VALUES('press','A trade paper''s list, by name only','press.csv','csv','stp','wide',0,0,NULL,'stp-2017','Trade Paper',NULL,1,'2026-01-01T09:00:00.000000+00:00',NULL);
CREATE TABLE statement_runs (
            id integer primary key, source text not null, org_code text not null,
            attribute text not null, value text not null, value_key text not null,
            value_num real, publisher text, note text, first text not null, last text,
            fetch_id integer references fetches(id)
        );
INSERT INTO "statement_runs" VALUES(1,'reference-2017','E54000005','leader.stp_lead','Rob Webster','rob webster',NULL,'Health Service Journal','footprint lead as announced March 2016','2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(2,'reference-2017','E54000007','leader.stp_lead','Sir Howard Bernstein','howard bernstein',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(3,'reference-2017','E54000008','leader.stp_lead','Louise Shepherd','louise shepherd',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(4,'reference-2017','E54000009','leader.stp_lead','Sir Andrew Cash','andrew cash',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(5,'reference-2017','E54000015','leader.stp_lead','Toby Sanders','toby sanders',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(6,'reference-2017','E54000017','leader.stp_lead','Mark Rogers','mark rogers',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(7,'reference-2017','E54000028','leader.stp_lead','David Sloman','david sloman',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(8,'reference-2017','E54000032','leader.stp_lead','Glenn Douglas','glenn douglas',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(9,'reference-2017','E54000033','leader.stp_lead','Michael Wilson','michael wilson',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(10,'reference-2017','E54000034','leader.stp_lead','Sir Andrew Morris','andrew morris',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(11,'reference-2017','E54000037','leader.stp_lead','Angela Pedder','angela pedder',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(12,'reference-2017','E54000044','leader.stp_lead','David Smith','david smith',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(13,'reference-2017','E54000045','leader.stp_lead','Alan Foster','alan foster',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(14,'reference-2017','E54000046','leader.stp_lead','Mark Adams','mark adams',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(15,'reference-2017','E54000047','leader.stp_lead','Stephen Eames','stephen eames',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(16,'reference-2017','E54000048','leader.stp_lead','Dr Amanda Doyle','amanda doyle',NULL,'Health Service Journal',NULL,'2016-03','2016-03',1);
INSERT INTO "statement_runs" VALUES(17,'reference-2017','E54000033','leader.chair','Michael Wilson','michael wilson',NULL,'Sussex Health and Care Partnership','''STP chair Michael Wilson'' after the April 2017 refresh','2017-04','2017-04',1);
INSERT INTO "statement_runs" VALUES(18,'reference-2017','E54000041','rating.overall','Outstanding','Outstanding',4.0,'Public Finance; National Health Executive','STP progress dashboard baseline view (2016/17)','2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(19,'reference-2017','E54000045','rating.overall','Outstanding','Outstanding',4.0,'Public Finance; National Health Executive; Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(20,'reference-2017','E54000034','rating.overall','Outstanding','Outstanding',4.0,'Public Finance; National Health Executive',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(21,'reference-2017','E54000024','rating.overall','Outstanding','Outstanding',4.0,'Public Finance; National Health Executive',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(22,'reference-2017','E54000009','rating.overall','Outstanding','Outstanding',4.0,'Public Finance; National Health Executive',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(23,'reference-2017','E54000039','rating.overall','Needs most improvement','Needs most improvement',1.0,'National Health Executive; mapmedtech.com',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(24,'reference-2017','E54000006','rating.overall','Needs most improvement','Needs most improvement',1.0,'National Health Executive; mapmedtech.com',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(25,'reference-2017','E54000020','rating.overall','Needs most improvement','Needs most improvement',1.0,'National Health Executive; mapmedtech.com',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(26,'reference-2017','E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'National Health Executive; mapmedtech.com',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(27,'reference-2017','E54000033','rating.overall','Needs most improvement','Needs most improvement',1.0,'National Health Executive; Sussex Health and Care Partnership',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(28,'reference-2017','E54000035','rating.overall','Advanced','Advanced',3.0,'Surrey Heartlands Health and Care Partnership',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(29,'reference-2017','E54000005','rating.overall','Making progress','Making progress',2.0,'West Yorkshire and Harrogate Health and Care Partnership','leadership domain judged ''Established''','2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(30,'reference-2017','E54000037','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(31,'reference-2017','E54000016','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(32,'reference-2017','E54000013','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(33,'reference-2017','E54000028','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(34,'reference-2017','E54000025','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(35,'reference-2017','E54000038','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(36,'reference-2017','E54000031','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(37,'reference-2017','E54000036','rating.overall','Making progress','Making progress',2.0,'Local Government Chronicle',NULL,'2017-07-21',NULL,1);
INSERT INTO "statement_runs" VALUES(39,'dashboard','E54000041','leader.stp_lead','Tim Goodson','tim goodson',NULL,'NHS England',NULL,'2017-07-21',NULL,4);
INSERT INTO "statement_runs" VALUES(40,'dashboard','E54000041','metric.beds','1200','1200',1200.0,'NHS England',NULL,'2017-07-21','2017-10-01',4);
INSERT INTO "statement_runs" VALUES(41,'dashboard','E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'NHS England',NULL,'2017-07-21','2017-10-01',4);
INSERT INTO "statement_runs" VALUES(42,'dashboard','E54000010','leader.stp_lead','Simon Whitehouse','simon whitehouse',NULL,'NHS England',NULL,'2017-07-21',NULL,4);
INSERT INTO "statement_runs" VALUES(43,'dashboard','E54000010','metric.beds','900','900',900.0,'NHS England',NULL,'2017-07-21','2018-01-01',4);
INSERT INTO "statement_runs" VALUES(44,'dashboard','E54000005','rating.overall','Making progress','Making progress',2.0,'NHS England',NULL,'2017-07-21','2018-01-01',9);
INSERT INTO "statement_runs" VALUES(45,'dashboard','E54000005','leader.stp_lead','Rob Webster CBE','rob webster',NULL,'NHS England',NULL,'2017-07-21',NULL,4);
INSERT INTO "statement_runs" VALUES(46,'dashboard','E54000005','metric.beds','2,500','2500',2500.0,'NHS England',NULL,'2017-07-21',NULL,4);
INSERT INTO "statement_runs" VALUES(47,'dashboard','E54000005','org.code','E54000005','e54000005',NULL,'NHS England',NULL,'2017-07-21',NULL,4);
INSERT INTO "statement_runs" VALUES(48,'dashboard','E54000006','rating.overall','Advanced','Advanced',3.0,'NHS England',NULL,'2017-07-21','2017-10-01',4);
INSERT INTO "statement_runs" VALUES(49,'dashboard','E54000006','leader.stp_lead','Emma Latimer','emma latimer',NULL,'NHS England',NULL,'2017-07-21','2017-10-01',4);
INSERT INTO "statement_runs" VALUES(50,'dashboard','E54000006','org.code','E54000006','e54000006',NULL,'NHS England',NULL,'2017-07-21','2017-10-01',4);
INSERT INTO "statement_runs" VALUES(51,'dashboard','E54000010','rating.overall','Making progress','Making progress',2.0,'NHS England',NULL,'2018-01-01',NULL,5);
INSERT INTO "statement_runs" VALUES(52,'dashboard','E54000041','metric.beds','1250','1250',1250.0,'NHS England',NULL,'2018-01-01','2018-01-01',5);
INSERT INTO "statement_runs" VALUES(53,'press','E54000041','rating.overall','Advanced','Advanced',3.0,'Trade Paper',NULL,'2017-08-01',NULL,6);
INSERT INTO "statement_runs" VALUES(54,'press','E54000010','rating.overall','Needs most improvement','Needs most improvement',1.0,'Trade Paper',NULL,'2017-08-01',NULL,6);
INSERT INTO "statement_runs" VALUES(55,'dashboard','E54000041','rating.overall','Advanced','Advanced',3.0,'NHS England',NULL,'2017-10-01','2017-10-01',7);
INSERT INTO "statement_runs" VALUES(56,'dashboard','E54000041','rating.overall','Outstanding','Outstanding',4.0,'NHS England',NULL,'2018-01-01',NULL,5);
INSERT INTO "statement_runs" VALUES(57,'dashboard','E54000006','metric.beds','300','300',300.0,'NHS England',NULL,'2017-10-01','2017-10-01',7);
INSERT INTO "statement_runs" VALUES(58,'dashboard','E54000041','rating.overall','Outstanding','Outstanding',4.0,'NHS England',NULL,'2017-07-21','2017-07-21',4);
INSERT INTO "statement_runs" VALUES(59,'dashboard','E54000005','rating.overall','Advanced','Advanced',3.0,'NHS England',NULL,'2018-05-01',NULL,12);
INSERT INTO "statement_runs" VALUES(60,'dashboard','E54000010','metric.beds','950','950',950.0,'NHS England',NULL,'2018-05-01',NULL,12);
INSERT INTO "statement_runs" VALUES(61,'dashboard','E54000006','rating.overall','Needs most improvement','Needs most improvement',1.0,'NHS England',NULL,'2018-05-01',NULL,12);
INSERT INTO "statement_runs" VALUES(62,'dashboard','E54000006','leader.stp_lead','Emma Latimer','emma latimer',NULL,'NHS England',NULL,'2018-05-01',NULL,12);
INSERT INTO "statement_runs" VALUES(63,'dashboard','E54000006','metric.beds','310','310',310.0,'NHS England',NULL,'2018-05-01',NULL,12);
INSERT INTO "statement_runs" VALUES(64,'dashboard','E54000006','org.code','E54000006','e54000006',NULL,'NHS England',NULL,'2018-05-01',NULL,12);
CREATE TABLE unmatched (
    id integer primary key, source text not null, fetch_id integer, file text, row integer,
    field text, name text not null, normalised text, candidates text, seen_at text not null
, context text, occurrences integer not null default 1);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX aliases_normalised on aliases(normalised);
CREATE INDEX fetches_source on fetches(source, id);
CREATE INDEX facts_org on facts(org_code, attribute, valid_from);
CREATE INDEX facts_attribute on facts(attribute, valid_to) where retired_at is null;
CREATE INDEX changes_effective on changes(effective) where retired_at is null;
CREATE INDEX changes_fetch on changes(fetch_id);
CREATE INDEX statement_runs_key on statement_runs(source, org_code, attribute, first);
CREATE INDEX statement_runs_open on statement_runs(source) where last is null;
CREATE INDEX changes_org on changes(org_code, attribute, effective);
CREATE INDEX fetches_sha256 on fetches(source, sha256);
CREATE INDEX alias_uses_fetch on alias_uses(fetch_id);
CREATE VIEW [current_ratings] as 
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from as rated_from, f.source, f.publisher,
               f.fetch_id
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'rating.%' and f.retired_at is null and f.valid_to is null
          and coalesce(o.valid_from, '') <= date('now') and date('now') < coalesce(o.valid_to, '9999');
CREATE VIEW [rating_history] as 
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from, f.valid_to, f.source, f.publisher,
               f.note, f.recorded_at, f.fetch_id
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'rating.%' and f.retired_at is null;
CREATE VIEW [current_leaders] as 
        select f.org_code, o.name, o.kind, substr(f.attribute, 8) as role, f.value as leader,
               f.valid_from as since, f.source, f.publisher, f.fetch_id
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'leader.%' and f.retired_at is null and f.valid_to is null
          and coalesce(o.valid_from, '') <= date('now') and date('now') < coalesce(o.valid_to, '9999');
CREATE VIEW [leadership_history] as 
        select f.org_code, o.name, substr(f.attribute, 8) as role, 'fact' as type,
               f.value as leader, null as what, f.valid_from as date_from,
               f.valid_to as date_to, f.source, f.publisher, f.note
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'leader.%' and f.retired_at is null
        union all
        select e.org_code, o.name, substr(e.attribute, 8), 'event', null, e.what,
               e.reported_on, null, e.source, e.publisher, e.note
        from events e join organisations o on o.code = e.org_code
        where e.attribute like 'leader.%';
CREATE VIEW [recent_changes] as 
        select c.id, c.recorded_at, c.effective, c.org_code, o.name, c.kind, c.attribute,
               c.old_value, c.new_value, c.direction, c.source, c.publisher, c.fetch_id
        from changes c join organisations o on o.code = c.org_code
        where c.retired_at is null
        order by c.recorded_at desc, c.effective desc, c.id desc;
CREATE VIEW [reported_band_counts] as 
        select r.publisher, r.reported_on, b.band, b.n as count, r.source, r.note,
               (select min(later.reported_on) from reported_counts later
                where later.publisher = r.publisher and later.reported_on > r.reported_on)
                 as superseded_on
        from reported_counts r
        join (select publisher, reported_on, 'outstanding' as band, outstanding as n
              from reported_counts
              union all select publisher, reported_on, 'advanced', advanced from reported_counts
              union all select publisher, reported_on, 'making_progress', making_progress
              from reported_counts
              union all select publisher, reported_on, 'needs_most_improvement',
                     needs_most_improvement from reported_counts) b
          on b.publisher = r.publisher and b.reported_on = r.reported_on
        where b.n is not null;
CREATE VIEW [source_conflicts] as 
        select a.org_code, o.name, a.attribute,
               max(a.valid_from, b.valid_from) as overlap_from,
               case when a.valid_to is null then b.valid_to
                    when b.valid_to is null then a.valid_to
                    else min(a.valid_to, b.valid_to) end as overlap_to,
               a.source as source_a, a.value as value_a, b.source as source_b,
               b.value as value_b
        from facts a
        join facts b on b.org_code = a.org_code and b.attribute = a.attribute
             and b.source > a.source and b.retired_at is null
             and b.value_key != a.value_key
             and a.valid_from < coalesce(b.valid_to, '9999')
             and b.valid_from < coalesce(a.valid_to, '9999')
        join organisations o on o.code = a.org_code
        where a.retired_at is null
        union all
        select null, 'band counts', 'count.' || x.band,
               max(x.reported_on, y.reported_on),
               case when x.superseded_on is null then y.superseded_on
                    when y.superseded_on is null then x.superseded_on
                    else min(x.superseded_on, y.superseded_on) end,
               x.publisher, cast(x.count as text), y.publisher, cast(y.count as text)
        from reported_band_counts x
        join reported_band_counts y on y.band = x.band and y.publisher > x.publisher
             and y.count != x.count
             and x.reported_on < coalesce(y.superseded_on, '9999')
             and y.reported_on < coalesce(x.superseded_on, '9999');
COMMIT;
